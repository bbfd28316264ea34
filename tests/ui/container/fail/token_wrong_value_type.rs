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
    let _ = App::new("three"); // Retries names a u32
}
