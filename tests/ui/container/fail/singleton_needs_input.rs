// A singleton depends on a scope's input, which the root does not have.
use std::sync::Arc;

use injectq::{container, injectable};

pub struct Caller(pub String);

#[injectable]
pub struct Greeter {
    caller: Arc<Caller>,
}

container! {
    pub struct App {
        input Caller;
        singleton Greeter;
    }
}

fn main() {}
