// A transient's decorator written like a singleton's: it takes `Arc<Limits>`, but each transient
// value is handed to its decorators by value.
use std::sync::Arc;
use injectq::{container, factory, injectable};

#[injectable]
pub struct Limits {
    #[inject(default = 10)]
    max: u32,
}

#[factory]
fn doubled(#[inner] inner: Arc<Limits>) -> Limits {
    Limits { max: inner.max * 2 }
}

container! {
    pub struct App {
        transient Limits;
        decorate Limits = doubled;
    }
}

fn main() {}
