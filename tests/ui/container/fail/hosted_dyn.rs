// A hosted trait object.
use std::sync::Arc;
use injectq::{BoxError, Hosted, container, injectable};

pub trait Worker: Send + Sync {}

#[injectable]
pub struct Consumer;
impl Worker for Consumer {}

impl Hosted for Consumer {
    async fn start(&self) -> Result<(), BoxError> { Ok(()) }
    async fn stop(&self) -> Result<(), BoxError> { Ok(()) }
}

container! {
    pub struct App {
        hosted dyn Worker => Consumer;
    }
}

fn main() {
    let _ = Arc::new(Consumer);
}
