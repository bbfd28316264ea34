// A container whose scopes take inputs, given to `with_container`, which opens scopes without.
use axum::Router;
use injectq::axum::InjectqRouter;
use injectq::container;

pub struct Caller(pub String);

container! {
    pub struct App {
        input Caller;
    }
}

fn main() {
    let _router: Router = Router::new().with_container(App::new());
}
