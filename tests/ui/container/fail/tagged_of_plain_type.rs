// `Tagged<K>` asked of a type that is registered, but not as a token.
use injectq::{Tagged, container, injectable, token};

token! {
    pub Region: String;
}

#[injectable]
pub struct Pool;

container! {
    pub struct App {
        singleton Pool;
        token Region;
    }
}

async fn run(app: App) {
    let _ = app.resolve::<Tagged<Pool>>().await;
}

fn main() {
    let _ = run;
}
