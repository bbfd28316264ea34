// `private` in a container, where every registration is the container's own.
use injectq::{container, injectable};

#[injectable]
pub struct Pool;

container! {
    pub struct App {
        private singleton Pool;
    }
}

fn main() {}
