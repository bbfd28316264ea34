// An `#[injectable]` option that does not exist (`lifetime`).
use injectq::injectable;

#[injectable(lifetime = singleton)]
pub struct Clock;

fn main() {}
