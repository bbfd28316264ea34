// A registration without its `;`.
use injectq::{container, injectable};

#[injectable]
pub struct Clock;

#[injectable]
pub struct Mailer;

container! {
    pub struct App {
        singleton Clock
        singleton Mailer;
    }
}

fn main() {}
