// A singleton that needs a job scope's service: the root has no scope.
use std::sync::Arc;
use injectq::{container, injectable};

#[injectable]
pub struct UnitOfWork;

#[injectable]
pub struct Scheduler {
    work: Arc<UnitOfWork>,
}

container! {
    pub struct App {
        singleton Scheduler;

        scope JobScope {
            scoped UnitOfWork;
        }
    }
}

fn main() {}
