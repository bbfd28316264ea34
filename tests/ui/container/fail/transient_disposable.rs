// A transient whose type is `#[injectable(dispose)]`: nobody would dispose it.
use injectq::{AsyncDispose, BoxError, container, injectable};

#[injectable(dispose)]
pub struct Connection;

impl AsyncDispose for Connection {
    async fn dispose(&self) -> Result<(), BoxError> {
        Ok(())
    }
}

container! {
    pub struct App {
        transient Connection; // nobody would close it
    }
}

fn main() {}
