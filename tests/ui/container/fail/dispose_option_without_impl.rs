// `, dispose` after a factory, for a type without `AsyncDispose`: the message speaks of the
// `, dispose` the user wrote.
use injectq::{container, factory};

pub trait Mailer: Send + Sync {}

pub struct Smtp;

impl Mailer for Smtp {}

#[factory]
fn connect() -> Smtp {
    Smtp
}

container! {
    pub struct App {
        singleton dyn Mailer => Smtp = connect, dispose;
    }
}

fn main() {}
