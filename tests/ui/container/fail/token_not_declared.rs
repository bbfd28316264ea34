// `token K;` for a type that `token!` did not declare.
use injectq::container;

pub struct ApiKey(pub String);

container! {
    pub struct App {
        token ApiKey;
    }
}

fn main() {}
