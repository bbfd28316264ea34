// A decorator of a type that nobody registered.
use std::sync::Arc;
use injectq::{container, factory};

pub trait Mailer: Send + Sync {}

#[factory]
fn retried(#[inner] inner: Arc<dyn Mailer>) -> Arc<dyn Mailer> {
    inner
}

container! {
    pub struct App {
        decorate dyn Mailer = retried;
    }
}

fn main() {}
