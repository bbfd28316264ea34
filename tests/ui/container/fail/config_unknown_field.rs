// A listed field that the configuration does not have.
use injectq::config::Validate;
use injectq::container;
use serde::Deserialize;

#[derive(Deserialize, Clone)]
pub struct Settings {
    pub http: Http,
}

#[derive(Deserialize, Clone)]
pub struct Http {
    pub port: u16,
}

impl Validate for Settings {}

container! {
    pub struct App {
        config Settings { htp: Http };
    }
}

fn main() {}
