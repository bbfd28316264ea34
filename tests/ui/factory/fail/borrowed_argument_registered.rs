// A factory with a borrowed argument, registered: one error, at the argument (the registration
// is not reported again).
use injectq::{container, factory};

pub struct Config;
pub struct Pool;

#[factory]
fn make_pool(config: &Config) -> Pool {
    let _ = config;
    Pool
}

container! {
    pub struct App {
        value Config;
        singleton Pool = make_pool;
    }
}

fn main() {}
