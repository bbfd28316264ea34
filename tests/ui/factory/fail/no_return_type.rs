// A factory without a return type.
use injectq::factory;

#[factory]
async fn warm_up() {}

fn main() {}
