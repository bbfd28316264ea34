// A transient of the container that needs the request's caller, resolved in a job scope.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Caller(pub String);
pub struct Job(pub u64);

#[injectable]
pub struct Audit {
    caller: Arc<Caller>,
}

container! {
    pub struct App {
        input Caller;
        transient Audit;

        scope JobScope {
            input Job;
        }
    }
}

async fn run(app: App) {
    let job = app.create_job_scope_with(Job(7));
    let _ = job.resolve::<Audit>().await;
}

fn main() {
    let _ = run;
}
