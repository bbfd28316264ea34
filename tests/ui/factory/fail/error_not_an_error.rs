use injectq::factory;

pub struct Pool;

#[factory]
async fn make_pool() -> Result<Pool, u32> {
    Err(7)
}

fn main() {}
