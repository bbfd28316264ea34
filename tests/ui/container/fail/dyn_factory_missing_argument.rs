// A factory of a trait object needs a `Config` that nobody provides: checked like any dependency.
use std::sync::Arc;

use injectq::{container, factory};

pub struct Config;

pub trait Notifier: Send + Sync {}

pub struct LogOnly;

impl Notifier for LogOnly {}

#[factory]
fn choose_notifier(_config: Arc<Config>) -> Arc<dyn Notifier> {
    Arc::new(LogOnly)
}

container! {
    pub struct App {
        singleton dyn Notifier = choose_notifier;
    }
}

fn main() {}
