// A singleton choice among alternatives registered as scoped: the chosen one would outlive its
// scope.
use injectq::{container, injectable};

pub trait Mailer: Send + Sync {}

pub enum Profile {
    Live,
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
        scoped Outbox;
        singleton dyn Mailer => match Profile {
            Profile::Live => Smtp,
            Profile::Test => Outbox,
        };
    }
}

fn main() {}
