// `#[factory]` given an option; it takes none.
use injectq::factory;

pub struct Pool;

#[factory(singleton)]
fn make_pool() -> Pool {
    Pool
}

fn main() {}
