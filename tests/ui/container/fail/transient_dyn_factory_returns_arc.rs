// A factory of a transient trait object returns an `Arc`, which cannot be handed out as a `Box`.
use std::sync::Arc;

use injectq::{container, factory};

pub trait Codec: Send + Sync {}

pub struct Decimal;

impl Codec for Decimal {}

#[factory]
fn make_codec() -> Arc<dyn Codec> {
    Arc::new(Decimal)
}

container! {
    pub struct App {
        transient dyn Codec = make_codec;
    }
}

fn main() {}
