//! Private module parts: each module keeps its own connection pool, which only its services use.
//!
//! `mail` and `billing` each declare `private singleton crate::Pool;`: two pools of one type in one
//! container, each used by its module's services only, with no duplicate-registration error. The
//! application resolves what the modules make public (`dyn Mailer`, `Invoices`); resolving `Pool`
//! itself, or needing it in a service of the application, is a compile error
//! (`[injectq::private]`).
//!
//! Run: `cargo run -p injectq-examples --example private_parts`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use injectq::{AsyncDispose, BoxError, container, injectable, module};

/// How many pools were opened: a pool's number.
static OPENED: AtomicUsize = AtomicUsize::new(0);

/// A connection pool, opened once per module that keeps one.
#[injectable(init = Self::open, dispose)]
pub struct Pool {
    #[inject(default)]
    number: usize,
}

impl Pool {
    async fn open(&mut self) {
        self.number = OPENED.fetch_add(1, Ordering::SeqCst) + 1;
        println!("pool {} opened", self.number);
    }
}

impl AsyncDispose for Pool {
    async fn dispose(&self) -> Result<(), BoxError> {
        println!("pool {} closed", self.number);
        Ok(())
    }
}

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

#[injectable]
pub struct Smtp {
    pool: Arc<Pool>,
}

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("mail to {to} over pool {}", self.pool.number)
    }
}

#[injectable]
pub struct Invoices {
    pool: Arc<Pool>,
}

impl Invoices {
    fn bill(&self, who: &str) -> String {
        format!("invoice for {who} stored over pool {}", self.pool.number)
    }
}

module! {
    /// Mail: its pool is its own.
    pub mail {
        private singleton crate::Pool;
        singleton dyn crate::Mailer => crate::Smtp;
    }
}

module! {
    /// Billing: a pool of its own too.
    pub billing {
        private singleton crate::Pool;
        scoped crate::Invoices;
    }
}

container! {
    pub struct App {
        import mail;
        import billing;
    }
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    let app = App::new();
    let scope = app.create_scope();
    println!("{}", scope.resolve::<Arc<dyn Mailer>>().await?.send("ada"));
    println!("{}", scope.resolve::<Arc<Invoices>>().await?.bill("ada"));
    scope.dispose().await?;
    app.dispose().await?;
    Ok(())
}
