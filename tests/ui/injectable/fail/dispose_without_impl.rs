use injectq::{container, injectable};

#[injectable(dispose)]
pub struct Connection;

container! {
    pub struct App {
        scoped Connection;
    }
}

fn main() {}
