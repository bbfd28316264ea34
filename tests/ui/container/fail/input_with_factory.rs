// An `input` is given when the scope is opened, so it has no factory.
use injectq::{container, factory};

pub struct Caller(pub String);

#[factory]
fn guess_caller() -> Caller {
    Caller("anonymous".into())
}

container! {
    pub struct App {
        input Caller = guess_caller;
    }
}

fn main() {}
