// A singleton depends on a type that is not registered.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Config;

#[injectable]
pub struct Pool {
    config: Arc<Config>,
}

container! {
    pub struct App {
        singleton Pool; // needs `Arc<Config>`: forgot `value Config;`
    }
}

fn main() {}
