use injectq::injectable;

#[injectable(lifetime = singleton)]
pub struct Clock;

fn main() {}
