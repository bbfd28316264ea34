// A singleton depends on a transient that depends on a scoped service (captive, one step removed).
use std::sync::Arc;
use injectq::{container, injectable};

#[injectable]
pub struct RequestContext;

#[injectable]
pub struct Handler {
    request: Arc<RequestContext>,
}

#[injectable]
pub struct ReportCache {
    handler: Handler,
}

container! {
    pub struct App {
        scoped RequestContext;
        transient Handler;
        singleton ReportCache; // singleton -> transient -> scoped
    }
}

fn main() {}
