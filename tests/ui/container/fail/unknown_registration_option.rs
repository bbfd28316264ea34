// A registration option that does not exist (`eager`).
use injectq::{container, factory};

pub struct Socket;

#[factory]
fn open() -> Socket {
    Socket
}

container! {
    pub struct App {
        singleton Socket = open, eager;
    }
}

fn main() {}
