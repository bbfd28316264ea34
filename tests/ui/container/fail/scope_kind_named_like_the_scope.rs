// A `scope` kind with the name of the container's own scope type.
use injectq::container;

container! {
    pub struct App {
        scope AppScope {}
    }
}

fn main() {}
