// A singleton holds a `Provider` of a scoped service: the singleton outlives every scope, so the
// scoped service it would resolve has no scope to come from (a captive dependency).
use std::sync::Arc;

use injectq::{Provider, container, injectable};

#[injectable]
pub struct RequestContext;

#[injectable]
pub struct AuditLog {
    request: Provider<Arc<RequestContext>>,
}

container! {
    pub struct App {
        scoped RequestContext;
        singleton AuditLog;
    }
}

fn main() {}
