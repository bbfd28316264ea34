// A singleton injects an assisted factory that needs a scoped service: the singleton's handle
// calls it with the root, which has no scope.
use std::sync::Arc;

use injectq::{Assisted, container, factory, injectable};

#[injectable]
pub struct Tenant;

#[factory]
fn report(_tenant: Arc<Tenant>, #[arg] title: String) -> String {
    title
}

#[injectable]
pub struct Reports {
    _make: Assisted<report>,
}

container! {
    pub struct App {
        scoped Tenant;
        singleton Reports;
    }
}

fn main() {}
