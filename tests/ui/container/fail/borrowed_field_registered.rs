// A service that borrows (a reference field), registered: services are shared and `'static`.
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
