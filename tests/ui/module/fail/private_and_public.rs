// A type that a module keeps private, registered by the container too.
use std::sync::Arc;
use injectq::{container, injectable, module};

#[injectable]
pub struct Pool;

#[injectable]
pub struct Smtp {
    _pool: Arc<Pool>,
}

module! {
    pub mail {
        private singleton crate::Pool;
        singleton crate::Smtp;
    }
}

container! {
    pub struct App {
        import mail;
        singleton Pool;
    }
}

fn main() {}
