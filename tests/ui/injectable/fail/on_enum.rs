// `#[injectable]` on an enum.
use injectq::injectable;

#[injectable]
pub enum Mode {
    Fast,
    Slow,
}

fn main() {}
