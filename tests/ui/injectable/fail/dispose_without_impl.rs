// `#[injectable(dispose)]` on a type that does not implement `AsyncDispose`.
use injectq::{container, injectable};

#[injectable(dispose)]
pub struct Connection;

container! {
    pub struct App {
        scoped Connection;
    }
}

fn main() {}
