// `+=` (a collection member) after a plain type instead of `dyn Trait`.
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
