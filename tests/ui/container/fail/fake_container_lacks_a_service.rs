// A test container meant to stand in for `App` forgets one of its services.
use std::sync::Arc;

use injectq::{container, injectable};

#[injectable]
pub struct Mailer;

#[injectable]
pub struct Signups {
    _mailer: Arc<Mailer>,
}

container! {
    #[provides(AppServices)]
    pub struct App {
        singleton Mailer;
        scoped Signups;
    }
}

container! {
    pub struct TestApp {
        singleton Mailer;
    }
}

fn serve<C: AppServices>(_container: C) {}

fn main() {
    serve(TestApp::new());
}
