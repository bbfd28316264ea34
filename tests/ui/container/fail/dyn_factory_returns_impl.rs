// A factory registered as a trait object returns the implementation, not the trait object.
use injectq::{container, factory};

pub trait Notifier: Send + Sync {}

pub struct Webhook;

impl Notifier for Webhook {}

#[factory]
fn make_webhook() -> Webhook {
    Webhook
}

container! {
    pub struct App {
        singleton dyn Notifier = make_webhook;
    }
}

fn main() {}
