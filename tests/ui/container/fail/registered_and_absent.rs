// A type both registered and declared `absent`.
use injectq::{container, injectable};

#[injectable]
pub struct Tracer;

container! {
    pub struct App {
        singleton Tracer;
        absent Tracer;
    }
}

fn main() {}
