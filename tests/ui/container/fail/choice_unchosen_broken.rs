// A choice whose test alternative needs a service nobody registered: an error, although the
// production profile never chooses it.
use std::sync::Arc;
use injectq::{container, injectable};

pub trait Mailer: Send + Sync {}

pub enum Profile {
    Live,
    Test,
}

#[injectable]
pub struct Smtp;
impl Mailer for Smtp {}

pub struct Recorder;

#[injectable]
pub struct Outbox {
    _recorder: Arc<Recorder>,
}
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
