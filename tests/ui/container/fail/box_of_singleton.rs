// A singleton asked for in a `Box`: only transients are handed out owned.
use injectq::{container, injectable};

#[injectable]
pub struct Pool;

container! {
    pub struct App {
        singleton Pool;
    }
}

async fn run(app: App) {
    let _ = app.resolve::<Box<Pool>>().await;
}

fn main() {
    let _ = run;
}
