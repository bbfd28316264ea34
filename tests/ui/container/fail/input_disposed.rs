// An `input` belongs to whoever opens the scope, so the container does not dispose it.
use injectq::container;

pub struct Caller(pub String);

container! {
    pub struct App {
        input Caller, dispose;
    }
}

fn main() {}
