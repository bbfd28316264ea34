// `get` of a collection, whose members are resolved by awaiting each.
use std::sync::Arc;

use injectq::{container, injectable};

pub trait Plugin: Send + Sync {}

#[injectable]
pub struct Audit;

impl Plugin for Audit {}

container! {
    pub struct App {
        singleton dyn Plugin += Audit;
    }
}

fn main() {
    let app = App::new();
    let _ = app.get::<Vec<Arc<dyn Plugin>>>();
}
