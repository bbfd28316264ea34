// A singleton declared in a `scope` kind: a kind holds its own scoped services, inputs and
// transients; the rest is the container's.
use injectq::{container, injectable};

#[injectable]
pub struct Pool;

container! {
    pub struct App {
        scope JobScope {
            singleton Pool;
        }
    }
}

fn main() {}
