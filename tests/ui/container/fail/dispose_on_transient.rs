// `dispose` on a transient registration: the container never owns a transient.
use injectq::{container, factory};

pub struct Socket;

#[factory]
fn open() -> Socket {
    Socket
}

async fn close(_: &Socket) -> Result<(), std::io::Error> {
    Ok(())
}

container! {
    pub struct App {
        transient Socket = open, dispose = close;
    }
}

fn main() {}
