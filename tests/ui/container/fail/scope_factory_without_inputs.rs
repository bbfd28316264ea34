// A worker's `ScopeFactory` opens a scope without the inputs its container's scopes take.
use injectq::{ScopeFactory, container, injectable};

pub struct Order(pub u64);

#[injectable]
pub struct Worker {
    scopes: ScopeFactory<App>,
}

impl Worker {
    fn job(&self) {
        let _scope = self.scopes.create_scope();
    }
}

container! {
    pub struct App {
        singleton Worker;
        input Order;
    }
}

fn main() {
    let _ = Worker::job;
}
