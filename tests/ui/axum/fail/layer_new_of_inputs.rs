// `ScopeLayer::new` of a container whose scopes take inputs.
use injectq::axum::ScopeLayer;
use injectq::container;

pub struct Caller(pub String);

container! {
    pub struct App {
        input Caller;
    }
}

fn main() {
    let _layer = ScopeLayer::new(App::new());
}
