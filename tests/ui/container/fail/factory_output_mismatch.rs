// A factory registered for another type than the one it builds.
use injectq::{container, factory};

pub struct Pool;
pub struct Cache;

#[factory]
async fn make_cache() -> Cache {
    Cache
}

container! {
    pub struct App {
        singleton Pool = make_cache;
    }
}

fn main() {}
