// `#[inject]` on a struct, where `#[injectable]` was meant.
use injectq::inject;

#[inject]
pub struct Handler;

fn main() {}
