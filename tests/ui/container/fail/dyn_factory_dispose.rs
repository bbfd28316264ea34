// `dispose` on a factory that returns a trait object, which hides the implementation to dispose.
use std::sync::Arc;

use injectq::{container, factory};

pub trait Notifier: Send + Sync {}

pub struct Webhook;

impl Notifier for Webhook {}

#[factory]
fn choose_notifier() -> Arc<dyn Notifier> {
    Arc::new(Webhook)
}

container! {
    pub struct App {
        singleton dyn Notifier = choose_notifier, dispose;
    }
}

fn main() {}
