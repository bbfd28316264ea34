// `token` followed by something other than a type name: a token is declared with `token!`.
use injectq::container;

container! {
    pub struct App {
        token &'static str;
    }
}

fn main() {}
