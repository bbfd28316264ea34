// `#[factory]` on a struct.
use injectq::factory;

#[factory]
pub struct Pool;

fn main() {}
