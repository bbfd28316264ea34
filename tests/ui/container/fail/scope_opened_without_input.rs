// A scope of a container with an `input` is opened without it.
use injectq::container;

pub struct Caller(pub String);

container! {
    pub struct App {
        input Caller;
    }
}

fn main() {
    let _scope = App::new().create_scope();
}
