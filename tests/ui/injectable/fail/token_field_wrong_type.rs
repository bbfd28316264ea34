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
