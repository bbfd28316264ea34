// A job scope's service that needs the request scope's input.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Caller(pub String);

#[injectable]
pub struct UnitOfWork {
    caller: Arc<Caller>,
}

container! {
    pub struct App {
        input Caller;

        scope JobScope {
            scoped UnitOfWork;
        }
    }
}

fn main() {}
