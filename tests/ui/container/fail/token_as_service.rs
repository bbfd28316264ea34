// A token asked for as a service (`Arc<Region>`): a token's value is resolved as `Tagged<Region>`.
use std::sync::Arc;

use injectq::{container, token};

token! {
    pub Region: String;
}

container! {
    pub struct App {
        token Region;
    }
}

async fn run(app: App) {
    let _ = app.resolve::<Arc<Region>>().await;
}

fn main() {
    let _ = run;
}
