// A service that takes a scope's input by value: an input is shared by the scope's services.
use injectq::{container, injectable};

pub struct Caller(pub String);

#[injectable]
pub struct Greeting {
    caller: Caller,
}

container! {
    pub struct App {
        input Caller;
        scoped Greeting;
    }
}

fn main() {}
