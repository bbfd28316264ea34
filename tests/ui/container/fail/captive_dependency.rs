// A singleton depends on a scoped service (a captive dependency).
use std::sync::Arc;
use injectq::{container, injectable};

#[injectable]
pub struct RequestContext;

#[injectable]
pub struct AuditLog {
    request: Arc<RequestContext>,
}

container! {
    pub struct App {
        scoped RequestContext;
        singleton AuditLog; // would keep the first request's context forever
    }
}

fn main() {}
