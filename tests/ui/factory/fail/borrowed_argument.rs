// A factory argument taken by reference: the container hands out `Arc<T>`.
use injectq::factory;

pub struct Config;
pub struct Pool;

#[factory]
fn make_pool(config: &Config) -> Pool {
    let _ = config;
    Pool
}

fn main() {}
