// A container declared with generic parameters.
use injectq::container;

container! {
    pub struct App<T> {
    }
}

fn main() {}
