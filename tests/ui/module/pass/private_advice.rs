// The advice of the private parts' errors: the application uses the module's public service, or
// keeps a helper of its own type; a private helper is a singleton.
use std::sync::Arc;
use injectq::{container, injectable, module};

#[injectable]
pub struct Pool;

#[injectable]
pub struct ReportPool;

#[injectable]
pub struct Smtp {
    _pool: Arc<Pool>,
}

#[injectable]
pub struct Reports {
    _smtp: Arc<Smtp>,
    _pool: Arc<ReportPool>,
}

module! {
    pub mail {
        private singleton crate::Pool;
        singleton crate::Smtp;
    }
}

container! {
    pub struct App {
        import mail;
        singleton ReportPool;
        singleton Reports;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    App::new().resolve::<Arc<Reports>>().await.unwrap();
}
