// `=> Impl = factory` binds a trait object, but the left side is not written `dyn`.
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
        singleton Notifier => Webhook = make_webhook;
    }
}

fn main() {}
