// A decorator that needs a service which needs the decorated one: a cycle through the decorator.
use std::sync::Arc;
use injectq::{container, factory, injectable};

pub trait Mailer: Send + Sync {}

#[injectable]
pub struct Smtp;
impl Mailer for Smtp {}

#[injectable]
pub struct Audit {
    _mailer: Arc<dyn Mailer>,
}

#[factory]
fn audited(#[inner] inner: Arc<dyn Mailer>, _audit: Arc<Audit>) -> Arc<dyn Mailer> {
    inner
}

container! {
    pub struct App {
        singleton dyn Mailer => Smtp;
        decorate dyn Mailer = audited;
        singleton Audit;
    }
}

fn main() {}
