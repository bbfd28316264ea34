// A parent's singleton depends on a service registered only in its child.
use std::sync::Arc;
use injectq::{container, injectable};

#[injectable]
pub struct AuditLog;

#[injectable]
pub struct Reports {
    audit: Arc<AuditLog>, // registered only in the child
}

container! {
    pub struct App {
        singleton Reports;

        child pub struct Admin {
            singleton AuditLog;
        }
    }
}

fn main() {}
