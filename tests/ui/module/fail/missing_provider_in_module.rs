// A module's service needs a type that the importing container does not provide.
use std::sync::Arc;
use injectq::{container, injectable, module};

pub struct Settings;

#[injectable]
pub struct Pool {
    settings: Arc<Settings>,
}

module! {
    pub persistence {
        singleton crate::Pool; // needs Settings, which the importing container does not have
    }
}

container! {
    pub struct App {
        import persistence;
    }
}

fn main() {}
