// A service that borrows (a reference field), registered: one error, at the struct; the container reports nothing more.
use injectq::{container, injectable};

#[injectable]
pub struct Greeter<'a> {
    name: &'a str,
}

container! {
    pub struct App {
        singleton Greeter<'static>;
    }
}

fn main() {}
