// A token type registered as a plain `value`, then asked for as `Tagged<K>`.
use injectq::{Tagged, container, token};

token! {
    pub Region: String;
}

container! {
    pub struct App {
        value Region;
    }
}

async fn run(app: App) {
    let _ = app.resolve::<Tagged<Region>>().await;
}

fn main() {
    let _ = run;
}
