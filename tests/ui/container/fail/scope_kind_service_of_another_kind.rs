// A request-scoped service that needs a job scope's unit of work: each kind of scope has its own.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Job(pub u64);

#[injectable]
pub struct UnitOfWork {
    job: Arc<Job>,
}

#[injectable]
pub struct Report {
    work: Arc<UnitOfWork>,
}

container! {
    pub struct App {
        scoped Report;

        scope JobScope {
            input Job;
            scoped UnitOfWork;
        }
    }
}

fn main() {}
