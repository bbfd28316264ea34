// A factory whose error type (`u32`) is not an error.
use injectq::factory;

pub struct Pool;

#[factory]
async fn make_pool() -> Result<Pool, u32> {
    Err(7)
}

fn main() {}
