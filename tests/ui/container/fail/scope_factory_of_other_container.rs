// A module's worker holds the production container's `ScopeFactory`, and a test container imports
// the module: the test container cannot give it.
use injectq::{ScopeFactory, container, injectable};

#[injectable]
pub struct Worker {
    scopes: ScopeFactory<crate::App>,
}

injectq::module! {
    pub workers {
        singleton crate::Worker;
    }
}

container! {
    pub struct App {
        import workers;
    }
}

container! {
    pub struct TestApp {
        import workers;
    }
}

fn main() {}
