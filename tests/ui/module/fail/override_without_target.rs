// `override` with nothing before it to replace.
use injectq::{container, injectable};

#[injectable]
pub struct FakeClock;

container! {
    pub struct App {
        override singleton FakeClock;
    }
}

fn main() {}
