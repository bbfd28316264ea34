// A singleton holds a `Lazy` of a scoped service (still a captive dependency).
use injectq::{Lazy, container, injectable};

#[injectable]
pub struct RequestContext;

#[injectable]
pub struct AuditLog {
    request: Lazy<RequestContext>, // deferred, but still held by a singleton
}

container! {
    pub struct App {
        scoped RequestContext;
        singleton AuditLog;
    }
}

fn main() {}
