// An `#[inject]` fn called with a container that lacks one of its parameters.
use std::sync::Arc;
use injectq::{container, inject, injectable};

#[injectable]
pub struct Clock;

pub struct Mailer;

container! {
    pub struct App {
        singleton Clock;
    }
}

#[inject]
async fn notify(#[inject] clock: Arc<Clock>, #[inject] mailer: Arc<Mailer>, user: u32) {
    let _ = (clock, mailer, user);
}

async fn run(app: App) -> injectq::Result<()> {
    notify(&app, 7).await // App has no `Mailer`
}

fn main() {
    let _ = run;
}
