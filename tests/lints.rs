//! Generated code is quiet in a strict user crate: this file denies warnings and turns on
//! `clippy::pedantic` and `missing_docs`; CI runs clippy on it with warnings denied.
#![deny(warnings, missing_docs, unreachable_pub, rust_2018_idioms)]
#![warn(clippy::pedantic)]

use std::sync::Arc;

use injectq::{container, factory, inject, injectable};

/// Configuration.
pub struct Config;

/// A pool.
pub struct Pool;

/// Opens the pool.
///
/// # Errors
///
/// Never; the signature is the one a real pool has.
#[factory]
pub async fn open_pool(config: Arc<Config>) -> Result<Pool, std::io::Error> {
    let _ = config;
    tokio::task::yield_now().await;
    Ok(Pool)
}

/// Storage.
pub trait Repo: Send + Sync {}

/// Storage in the pool.
#[injectable]
pub struct PgRepo {
    pool: Arc<Pool>,
}

impl Repo for PgRepo {}

/// Per request.
#[injectable(init = Self::start)]
pub struct Ctx {
    #[inject(default)]
    started: bool,
}

impl Ctx {
    async fn start(&mut self) -> Result<(), std::io::Error> {
        tokio::task::yield_now().await;
        self.started = true;
        Ok(())
    }
}

/// Per resolve, generic.
#[injectable]
pub struct Handler<T: Send + Sync + 'static> {
    repo: Arc<dyn Repo>,
    ctx: Arc<Ctx>,
    #[inject(default)]
    extra: Vec<T>,
}

/// Per resolve, from a plain factory.
pub struct Stamp(u64);

/// Makes a stamp.
#[factory]
#[must_use]
pub fn stamp() -> Stamp {
    Stamp(7)
}

container! {
    /// The container.
    pub struct App {
        value Config;
        singleton Pool = open_pool;
        singleton dyn Repo => PgRepo;
        scoped Ctx;
        transient Handler<u8>;
        transient Stamp = stamp;
    }
}

/// The caller, given to each scope of `Jobs`.
pub struct Caller(pub String);

/// The request id, given to each scope of `Jobs`.
pub struct RequestId(pub u64);

container! {
    /// A container whose scopes take inputs, with a `#[provides]` trait and a worker of its own.
    #[provides(JobServices)]
    pub struct Jobs {
        input Caller;
        input RequestId;
        singleton Worker<Self>;
    }
}

/// A worker generic over its container.
#[injectable]
pub struct Worker<C: injectq::Container> {
    scopes: injectq::ScopeFactory<C>,
}

/// An injected function.
#[inject]
pub async fn handle(#[inject] handler: Handler<u8>, #[inject] stamp: Stamp, id: u32) -> u64 {
    let _ = (&handler.repo, handler.ctx.started, &handler.extra, &PgRepo::pool_of);
    stamp.0 + u64::from(id)
}

impl PgRepo {
    fn pool_of(&self) -> &Arc<Pool> {
        &self.pool
    }
}

#[tokio::test]
async fn a_strict_crate_compiles_and_runs() {
    let scope = App::new(Config).create_scope();
    assert_eq!(handle(&scope, 1).await.unwrap(), 8);
}

#[tokio::test]
async fn a_strict_crate_opens_scopes_with_inputs() {
    let jobs = Jobs::new();
    let worker = jobs.resolve::<Arc<Worker<Jobs>>>().await.unwrap();
    let scope = worker.scopes.create_scope_with((Caller("ada".into()), RequestId(7))).unwrap();
    assert_eq!(scope.resolve::<Arc<RequestId>>().await.unwrap().0, 7);
    let text = jobs
        .with_scope_with((Caller("grace".into()), RequestId(8)), |scope| async move {
            Ok::<_, injectq::Error>(scope.resolve::<Arc<Caller>>().await?.0.clone())
        })
        .await
        .unwrap();
    assert_eq!(text, "grace");
}
