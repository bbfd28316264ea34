// A scope's input resolved from the root container, which has none.
use std::sync::Arc;

use injectq::container;

pub struct Caller(pub String);

container! {
    pub struct App {
        input Caller;
    }
}

#[tokio::main]
async fn main() {
    let _ = App::new().resolve::<Arc<Caller>>().await;
}
