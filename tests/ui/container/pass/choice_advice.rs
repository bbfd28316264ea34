// The advice of the choices' errors: the unchosen alternative's dependency registered; every
// profile handled; an alternative registered in the choice's lifetime (or left to the choice).
use std::sync::Arc;
use injectq::{container, injectable};

pub trait Mailer: Send + Sync {
    fn name(&self) -> &'static str;
}

pub enum Profile {
    Live,
    Staging,
    Test,
}

#[injectable]
pub struct Smtp;
impl Mailer for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }
}

#[injectable]
pub struct Recorder;

#[injectable]
pub struct Outbox {
    _recorder: Arc<Recorder>,
}
impl Mailer for Outbox {
    fn name(&self) -> &'static str {
        "outbox"
    }
}

container! {
    pub struct App {
        value Profile;
        singleton Recorder;
        singleton Outbox;
        singleton dyn Mailer => match Profile {
            Profile::Live | Profile::Staging => Smtp,
            Profile::Test => Outbox,
        };
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::new(Arc::new(Profile::Staging));
    assert_eq!(app.resolve::<Arc<dyn Mailer>>().await.unwrap().name(), "smtp");
}
