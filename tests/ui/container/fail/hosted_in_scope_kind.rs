// A hosted service declared in a kind of scope: it runs for the container's life.
use injectq::{BoxError, Hosted, container, injectable};

#[injectable]
pub struct Consumer;

impl Hosted for Consumer {
    async fn start(&self) -> Result<(), BoxError> { Ok(()) }
    async fn stop(&self) -> Result<(), BoxError> { Ok(()) }
}

container! {
    pub struct App {
        scope JobScope {
            hosted Consumer;
        }
    }
}

fn main() {}
