// A transient's decorator declared `, dispose`: the container hands each value over and cannot
// dispose what decorates it.
use injectq::{container, factory, injectable};

#[injectable]
pub struct Limits {
    #[inject(default = 10)]
    max: u32,
}

#[factory]
fn doubled(#[inner] inner: Limits) -> Limits {
    Limits { max: inner.max * 2 }
}

container! {
    pub struct App {
        transient Limits;
        decorate Limits = doubled, dispose;
    }
}

fn main() {}
