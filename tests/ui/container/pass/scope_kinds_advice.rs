// The advice of the scope kinds' errors: what both kinds need is the container's (a singleton, a
// transient), each kind's own is resolved from its scopes, and a job scope is opened with its
// input.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Caller(pub String);
pub struct Job(pub u64);

#[injectable]
pub struct Pool;

#[injectable]
pub struct UnitOfWork {
    job: Arc<Job>,
    pool: Arc<Pool>,
}

#[injectable]
pub struct Report {
    pool: Arc<Pool>,
    caller: Arc<Caller>,
}

#[injectable]
pub struct Audit {
    pool: Arc<Pool>,
}

container! {
    pub struct App {
        singleton Pool;
        transient Audit;
        input Caller;
        scoped Report;

        scope JobScope {
            input Job;
            scoped UnitOfWork;
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::new();
    let job = app.create_job_scope_with(Job(7));
    let work = job.resolve::<Arc<UnitOfWork>>().await.unwrap();
    let audit: Audit = job.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&work.pool, &audit.pool));
    assert_eq!(work.job.0, 7);
    let request = app.create_scope_with(Caller("ada".into()));
    assert_eq!(request.resolve::<Arc<Report>>().await.unwrap().caller.0, "ada");
    let _ = request.resolve::<Arc<Report>>().await.unwrap().pool;
}
