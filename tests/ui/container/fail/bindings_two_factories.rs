// Two bindings of one implementation, each with its factory: one implementation is one instance,
// built one way.
use injectq::{container, factory};

pub trait Mailer: Send + Sync {}
pub trait Health: Send + Sync {}

pub struct Smtp;

impl Mailer for Smtp {}
impl Health for Smtp {}

#[factory]
fn connect() -> Smtp {
    Smtp
}

#[factory]
fn probe() -> Smtp {
    Smtp
}

container! {
    pub struct App {
        singleton dyn Mailer => Smtp = connect;
        singleton dyn Health => Smtp = probe;
    }
}

fn main() {}
