// A dispose hook returns `()` or `Result<(), E>`, not `Option<()>`.
use injectq::{container, factory};

pub struct Socket;

#[factory]
fn open() -> Socket {
    Socket
}

async fn close(_: &Socket) -> Option<()> {
    None
}

container! {
    pub struct App {
        singleton Socket = open, dispose = close;
    }
}

fn main() {}
