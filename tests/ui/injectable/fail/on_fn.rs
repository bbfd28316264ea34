// `#[injectable]` on a function, where `#[factory]` or `#[inject]` was meant.
use injectq::injectable;

#[injectable]
pub fn make_clock() {}

fn main() {}
