// A hosted service declared in a child container.
use injectq::{BoxError, Hosted, container, injectable};

#[injectable]
pub struct Consumer;

impl Hosted for Consumer {
    async fn start(&self) -> Result<(), BoxError> { Ok(()) }
    async fn stop(&self) -> Result<(), BoxError> { Ok(()) }
}

container! {
    pub struct App {
        child pub struct Plugins {
            hosted Consumer;
        }
    }
}

fn main() {}
