// A type declared `absent` asked for itself: only `Option<Arc<T>>` of it can be resolved (`None`).
use std::sync::Arc;

use injectq::{container, injectable};

pub struct Tracer;

#[injectable]
pub struct Report {
    tracer: Arc<Tracer>,
}

container! {
    pub struct App {
        absent Tracer;
        transient Report;
    }
}

fn main() {}
