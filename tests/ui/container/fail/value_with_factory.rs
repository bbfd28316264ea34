// A `value` registered with a factory: a value is handed to `App::new`, not built.
use injectq::{container, factory};

pub struct Config;

#[factory]
fn load() -> Config {
    Config
}

container! {
    pub struct App {
        value Config = load;
    }
}

fn main() {}
