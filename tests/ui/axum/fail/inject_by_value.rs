// `Inject<Pool>` of a singleton: it is shared, injected as `Inject<Arc<Pool>>`.
use axum::Router;
use axum::routing::get;
use injectq::axum::{Inject, InjectqRouter};
use injectq::{container, injectable};

#[injectable]
pub struct Pool;

container! {
    pub struct App {
        singleton Pool;
    }
}

#[axum::debug_handler(state = App)]
async fn handler(Inject(_pool): Inject<Pool>) -> &'static str {
    "ok"
}

fn main() {
    let _: Router = Router::new().route("/", get(handler)).with_container(App::new());
}

// the advice, applied: `Inject<Arc<Pool>>` compiles (tests/ui/container/pass/by_value_advice.rs
// resolves `Arc<Pool>` the same way)
#[axum::debug_handler(state = App)]
async fn fixed(Inject(_pool): Inject<std::sync::Arc<Pool>>) -> &'static str {
    "ok"
}

#[allow(dead_code)]
fn fixed_router() -> Router {
    Router::new().route("/", get(fixed)).with_container(App::new())
}
