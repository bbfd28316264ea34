// A `#[factory]` fn named like a module beside it: `#[factory]` also defines a type of the fn's
// name, which the module's name collides with (one error, at `#[factory]`).
use injectq::factory;

pub struct Pool;

mod pool {}

#[factory]
fn pool() -> Pool {
    Pool
}

fn main() {}
