// A health check on a scoped service: there is no one instance to check.
use injectq::{BoxError, HealthCheck, container, injectable};

#[injectable]
pub struct Session;

impl HealthCheck for Session {
    async fn check(&self) -> Result<(), BoxError> { Ok(()) }
}

container! {
    pub struct App {
        scoped Session, health;
    }
}

fn main() {}
