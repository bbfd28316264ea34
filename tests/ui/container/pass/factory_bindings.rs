// The advice of the factory-binding messages, followed: a factory of the implementation bound to
// the trait (also disposed, and as a transient), and a transient trait object's factory returning
// a `Box`.
use std::sync::Arc;

use injectq::{AsyncDispose, BoxError, container, factory};

pub trait Notifier: Send + Sync {}

pub struct Webhook;

impl Notifier for Webhook {}

impl AsyncDispose for Webhook {
    async fn dispose(&self) -> Result<(), BoxError> {
        Ok(())
    }
}

#[factory]
fn make_webhook() -> Webhook {
    Webhook
}

pub trait Codec: Send + Sync {}

pub struct Decimal;

impl Codec for Decimal {}

#[factory]
fn make_decimal() -> Decimal {
    Decimal
}

pub trait Format: Send + Sync {}

impl Format for Decimal {}

#[factory]
fn make_format() -> Box<dyn Format> {
    Box::new(Decimal)
}

container! {
    pub struct App {
        singleton dyn Notifier => Webhook = make_webhook, dispose;
        transient dyn Codec => Decimal = make_decimal;
        transient dyn Format = make_format;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::new();
    let _: Arc<dyn Notifier> = app.resolve().await.unwrap();
    let _: Box<dyn Codec> = app.resolve().await.unwrap();
    let _: Arc<dyn Format> = app.resolve().await.unwrap();
    app.dispose().await.unwrap();
}
