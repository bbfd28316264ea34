// A binding that builds, with a factory of its own, an implementation registered already: it
// would be a second instance.
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
        singleton Smtp = connect;
        singleton dyn Mailer => Smtp = connect;
    }
}

fn main() {}
