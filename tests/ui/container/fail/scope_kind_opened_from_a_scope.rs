// A job scope opened from a request's scope: a top-level kind is opened from the container.
use injectq::container;

pub struct Job(pub u64);

container! {
    pub struct App {
        scope JobScope {
            input Job;
        }
    }
}

fn main() {
    let request = App::new().create_scope();
    let _job = request.create_job_scope_with(Job(7));
}
