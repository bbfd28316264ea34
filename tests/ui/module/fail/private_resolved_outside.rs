// A service of the application that needs a module's private helper.
use std::sync::Arc;
use injectq::{container, injectable, module};

#[injectable]
pub struct Pool;

#[injectable]
pub struct Smtp {
    _pool: Arc<Pool>,
}

#[injectable]
pub struct Reports {
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
        singleton Reports;
    }
}

fn main() {}
