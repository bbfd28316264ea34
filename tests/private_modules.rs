//! Private module parts: `private singleton Pool;` in a `module!` is the module's own. Its
//! services use it; the container that imports the module cannot resolve it (a compile error,
//! tests/ui); two modules may each keep a helper of the same type, each its own instance.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use injectq::{AsyncDispose, BoxError, container, factory, injectable, module};
use support::bounded;

mod support;

/// What the test's services did.
#[derive(Default)]
pub struct Log {
    pools: AtomicUsize,
    disposed: Mutex<Vec<String>>,
}

/// A connection pool: each module keeps one of its own.
#[injectable(init = Self::open, dispose)]
pub struct Pool {
    log: Arc<Log>,
    #[inject(default)]
    id: usize,
}

impl Pool {
    async fn open(&mut self) {
        self.id = self.log.pools.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl AsyncDispose for Pool {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.disposed.lock().unwrap().push(format!("pool {}", self.id));
        Ok(())
    }
}

pub trait Mailer: Send + Sync {
    fn pool(&self) -> usize;
}

/// The mail module's public service, over its private pool.
#[injectable(dispose)]
pub struct Smtp {
    pool: Arc<Pool>,
}

impl Mailer for Smtp {
    fn pool(&self) -> usize {
        self.pool.id
    }
}

impl AsyncDispose for Smtp {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.pool.log.disposed.lock().unwrap().push("smtp".into());
        Ok(())
    }
}

/// The billing module's scoped service, over its own private pool.
#[injectable]
pub struct Invoices {
    pool: Arc<Pool>,
}

/// A factory of the billing module, over its private pool too.
pub struct Ledger {
    pool: usize,
}

#[factory]
fn open_ledger(pool: Arc<Pool>) -> Ledger {
    Ledger { pool: pool.id }
}

module! {
    pub mail {
        value crate::Log;
        private singleton crate::Pool;
        singleton dyn crate::Mailer => crate::Smtp;
    }
}

module! {
    pub billing {
        private singleton crate::Pool;
        scoped crate::Invoices;
        singleton crate::Ledger = crate::open_ledger;
    }
}

/// The application's own service: it uses both modules' public services.
#[injectable]
pub struct Checkout {
    mailer: Arc<dyn Mailer>,
    invoices: Arc<Invoices>,
    ledger: Arc<Ledger>,
}

container! {
    pub struct App {
        import mail;
        import billing;
        scoped Checkout;
    }
}

fn app() -> (App, Arc<Log>) {
    let log = Arc::new(Log::default());
    (App::new(Arc::clone(&log)), log)
}

#[tokio::test]
async fn each_module_uses_its_own_helper() {
    let (app, log) = app();
    let checkout = app.create_scope().resolve::<Arc<Checkout>>().await.unwrap();
    let (mail, billing) = (checkout.mailer.pool(), checkout.invoices.pool.id);
    assert_ne!(mail, billing, "two modules, two pools");
    assert_eq!(checkout.ledger.pool, billing, "the billing module's factory uses the billing pool");
    assert_eq!(log.pools.load(SeqCst), 2);
    let again = app.create_scope().resolve::<Arc<Checkout>>().await.unwrap();
    assert!(Arc::ptr_eq(&checkout.invoices.pool, &again.invoices.pool), "each helper is a singleton");
    assert!(!Arc::ptr_eq(&checkout.invoices, &again.invoices), "the module's scoped service is per scope");
}

/// 64 scopes at once resolve both modules' services: each private pool is created once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_helper_is_created_once_under_concurrency() {
    let (app, log) = app();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let scope = app.create_scope();
                let checkout = scope.resolve::<Arc<Checkout>>().await.unwrap();
                let pools = (checkout.mailer.pool(), checkout.invoices.pool.id);
                scope.dispose().await.unwrap();
                pools
            })
        })
        .collect();
    let all = bounded("the scopes", futures_util::future::join_all(tasks)).await;
    let first = *all[0].as_ref().unwrap();
    assert!(all.iter().all(|p| *p.as_ref().unwrap() == first), "the same two pools everywhere");
    assert_eq!(log.pools.load(SeqCst), 2);
}

#[tokio::test]
async fn helpers_are_disposed_after_the_services_that_use_them() {
    let (app, log) = app();
    let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
    let pool = mailer.pool();
    drop(mailer);
    bounded("the disposal", app.dispose()).await.unwrap();
    assert_eq!(*log.disposed.lock().unwrap(), ["smtp".to_owned(), format!("pool {pool}")]);
}

/// A test container imports the modules and replaces a public service: the module's other
/// services still use their private helpers.
mod testing {
    use super::*;

    #[injectable]
    pub struct FakeMailer;

    impl Mailer for FakeMailer {
        fn pool(&self) -> usize {
            usize::MAX
        }
    }

    container! {
        pub struct TestApp {
            import super::mail;
            import super::billing;
            override singleton dyn Mailer => FakeMailer;
            scoped Checkout;
        }
    }

    #[tokio::test]
    async fn an_override_beside_private_helpers() {
        let app = TestApp::new(Arc::new(Log::default()));
        let checkout = app.create_scope().resolve::<Arc<Checkout>>().await.unwrap();
        assert_eq!(checkout.mailer.pool(), usize::MAX);
        assert_eq!(checkout.ledger.pool, checkout.invoices.pool.id);
    }
}
