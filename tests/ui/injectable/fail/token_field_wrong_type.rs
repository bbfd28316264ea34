// A token field whose type is not the token's value type (`Retries` carries a `u32`).
use injectq::{container, injectable, token};

token! {
    pub Retries: u32;
}

#[injectable]
pub struct Client {
    #[inject(token = Retries)]
    retries: String,
}

container! {
    pub struct App {
        token Retries;
        singleton Client;
    }
}

fn main() {}
