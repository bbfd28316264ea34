// `resolve` from a scope of a type the container does not register.
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
    let scope = app.create_scope();
    let _ = scope.resolve::<Arc<Mailer>>().await;
}

fn main() {
    let _ = run;
}
