// `container!` given something other than a struct declaration.
use injectq::container;

container! {
    pub App {
    }
}

fn main() {}
