// tonic's `ScopeLayer::new` of a container whose scopes take inputs.
use injectq::container;
use injectq::tonic::ScopeLayer;

pub struct Caller(pub String);

container! {
    pub struct App {
        input Caller;
    }
}

fn main() {
    let _layer = ScopeLayer::new(App::new());
}
