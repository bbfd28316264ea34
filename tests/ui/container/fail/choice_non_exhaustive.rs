// A profile added to the enum, not handled by the choice.
use injectq::{container, injectable};

pub trait Mailer: Send + Sync {}

pub enum Profile {
    Live,
    Staging,
    Test,
}

#[injectable]
pub struct Smtp;
impl Mailer for Smtp {}

#[injectable]
pub struct Outbox;
impl Mailer for Outbox {}

container! {
    pub struct App {
        value Profile;
        singleton dyn Mailer => match Profile {
            Profile::Live => Smtp,
            Profile::Test => Outbox,
        };
    }
}

fn main() {}
