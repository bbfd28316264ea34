// A factory with `#[arg]` parameters is registered as a service, which the container cannot call.
use injectq::{container, factory};

#[factory]
fn greeting(#[arg] name: String) -> String {
    format!("hello {name}")
}

container! {
    pub struct App {
        transient String = greeting;
    }
}

fn main() {}
