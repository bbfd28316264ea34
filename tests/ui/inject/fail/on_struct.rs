use injectq::inject;

#[inject]
pub struct Handler;

fn main() {}
