// A service declared `hosted` that does not implement `injectq::Hosted`.
use injectq::{container, injectable};

#[injectable]
pub struct Consumer;

container! {
    pub struct App {
        hosted Consumer;
    }
}

fn main() {}
