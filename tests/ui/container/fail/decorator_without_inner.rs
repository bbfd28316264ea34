// A plain factory given as a decorator.
use std::sync::Arc;
use injectq::{container, factory, injectable};

pub trait Mailer: Send + Sync {}

#[injectable]
pub struct Smtp;
impl Mailer for Smtp {}

#[factory]
fn relay() -> Arc<dyn Mailer> {
    Arc::new(Smtp)
}

container! {
    pub struct App {
        singleton dyn Mailer => Smtp;
        decorate dyn Mailer = relay;
    }
}

fn main() {}
