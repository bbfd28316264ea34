// A job scope opened without its input.
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
    let _job = App::new().create_job_scope();
}
