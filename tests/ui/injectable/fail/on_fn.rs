use injectq::injectable;

#[injectable]
pub fn make_clock() {}

fn main() {}
