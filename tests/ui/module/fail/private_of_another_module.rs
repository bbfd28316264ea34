// A module's service that needs another module's private helper.
use std::sync::Arc;
use injectq::{container, injectable, module};

#[injectable]
pub struct Pool;

#[injectable]
pub struct Smtp {
    _pool: Arc<Pool>,
}

#[injectable]
pub struct Invoices {
    _pool: Arc<Pool>,
}

module! {
    pub mail {
        private singleton crate::Pool;
        singleton crate::Smtp;
    }
}

module! {
    pub billing {
        private singleton crate::Invoices;
        singleton crate::Smtp2;
    }
}

#[injectable]
pub struct Smtp2 {
    _invoices: Arc<Invoices>,
}

container! {
    pub struct App {
        import mail;
        import billing;
    }
}

fn main() {}
