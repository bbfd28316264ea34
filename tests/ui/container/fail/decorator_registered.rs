// A decorator registered as a service: it needs the service it decorates.
use std::sync::Arc;
use injectq::{container, factory};

pub trait Mailer: Send + Sync {}

#[factory]
fn retried(#[inner] inner: Arc<dyn Mailer>) -> Arc<dyn Mailer> {
    inner
}

container! {
    pub struct App {
        singleton dyn Mailer = retried;
    }
}

fn main() {}
