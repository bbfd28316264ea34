// A scoped service resolved from the root container (rustc reports it at the type, the call and the `.await`).
use std::sync::Arc;
use injectq::{container, injectable};

#[injectable]
pub struct RequestContext;

container! {
    pub struct App {
        scoped RequestContext;
    }
}

async fn run(app: App) {
    // scoped services live in a scope: `app.create_scope().resolve()`
    let _ = app.resolve::<Arc<RequestContext>>().await;
}

fn main() {
    let _ = run;
}
