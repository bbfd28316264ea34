// An `Option<Arc<T>>` dependency whose `T` is neither registered nor declared `absent`.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Tracer;

#[injectable]
pub struct Report {
    tracer: Option<Arc<Tracer>>,
}

container! {
    pub struct App {
        transient Report; // Tracer is neither registered nor declared absent
    }
}

fn main() {}
