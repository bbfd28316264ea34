// A singleton resolved by value: it is shared, handed out as `Arc<Pool>`.
use injectq::{container, injectable};

#[injectable]
pub struct Pool;

container! {
    pub struct App {
        singleton Pool;
    }
}

async fn run(app: App) {
    let _ = app.resolve::<Pool>().await;
}

fn main() {
    let _ = run;
}
