// A service that takes a `value` by value, and one that takes a scoped service by value.
use injectq::{container, injectable};

pub struct Config;

#[injectable]
pub struct Session;

#[injectable]
pub struct Handler {
    config: Config,
}

#[injectable]
pub struct Page {
    session: Session,
}

container! {
    pub struct App {
        value Config;
        scoped Session;
        transient Handler;
        transient Page;
    }
}

fn main() {}
