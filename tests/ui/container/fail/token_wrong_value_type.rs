// A token's value of the wrong type: `Retries` carries a `u32`.
use injectq::{container, token};

token! {
    pub Retries: u32;
}

container! {
    pub struct App {
        token Retries;
    }
}

fn main() {
    let _ = App::new(Retries("three"));
}
