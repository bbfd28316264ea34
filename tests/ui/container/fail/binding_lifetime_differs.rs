// A binding of a registered implementation in another lifetime: a scoped trait object of a
// singleton would be a second instance, or the same one living longer than it says.
use injectq::{container, injectable};

pub trait Mailer: Send + Sync {}

#[injectable]
pub struct Smtp;

impl Mailer for Smtp {}

container! {
    pub struct App {
        singleton Smtp;
        scoped dyn Mailer => Smtp;
    }
}

fn main() {}
