// The advice of the configuration errors: `Validate` implemented (here, accepting every value);
// the field named as the struct names it.
use std::sync::Arc;
use injectq::config::{Config, Validate};
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
        config Settings { http: Http };
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let settings = Config::new().toml_str("[http]\nport = 8080").load::<Settings>().unwrap();
    let app = App::new(settings);
    assert_eq!(app.resolve::<Arc<Http>>().await.unwrap().port, 8080);
}
