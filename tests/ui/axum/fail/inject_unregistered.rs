// A handler injects a service that the container does not provide; `debug_handler` makes the
// error injectq's, at the argument, instead of axum's "`Handler` is not satisfied".
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use injectq::axum::{Inject, InjectqRouter};
use injectq::container;

pub struct Mailer;

container! {
    pub struct App {}
}

#[axum::debug_handler(state = App)]
async fn send(Inject(_mailer): Inject<Arc<Mailer>>) {}

fn main() {
    let _: Router = Router::new().route("/send", get(send)).with_container(App::new());
}
