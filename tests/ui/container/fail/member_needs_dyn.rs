use injectq::{container, injectable};

pub struct Plugin;

#[injectable]
pub struct Auth;

container! {
    pub struct App {
        singleton Plugin += Auth;
    }
}

fn main() {}
