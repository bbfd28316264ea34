use injectq::factory;

pub struct Config;
pub struct Pool;

#[factory]
fn make_pool(config: &Config) -> Pool {
    let _ = config;
    Pool
}

fn main() {}
