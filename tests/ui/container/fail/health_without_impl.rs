// A service declared with `, health` that does not implement `injectq::HealthCheck`.
use injectq::{container, injectable};

#[injectable]
pub struct Pool;

container! {
    pub struct App {
        singleton Pool, health;
    }
}

fn main() {}
