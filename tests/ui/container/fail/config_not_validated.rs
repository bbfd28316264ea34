// A configuration struct that does not say how it is checked.
use injectq::container;
use serde::Deserialize;

#[derive(Deserialize, Clone)]
pub struct Settings {
    pub port: u16,
}

container! {
    pub struct App {
        config Settings;
    }
}

fn main() {}
