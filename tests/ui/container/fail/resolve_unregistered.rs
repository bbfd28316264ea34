// `resolve` of a type the container does not register.
use std::sync::Arc;
use injectq::{container, injectable};

#[injectable]
pub struct Clock;

pub struct Mailer;

container! {
    pub struct App {
        singleton Clock;
    }
}

async fn run(app: App) {
    let _ = app.resolve::<Arc<Mailer>>().await;
}

fn main() {
    let _ = run;
}
