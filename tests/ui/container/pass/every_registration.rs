//! Every kind of registration in one container, resolved every way it can be, spawned on the
//! multi-thread runtime.

use std::sync::Arc;

use injectq::{container, factory, inject, injectable};

pub struct Config;
pub struct Pool;

#[factory]
async fn pool(_config: Arc<Config>) -> Result<Pool, std::io::Error> {
    Ok(Pool)
}

pub trait Repo: Send + Sync {}

#[injectable]
pub struct PgRepo {
    _pool: Arc<Pool>,
}

impl Repo for PgRepo {}

#[injectable]
pub struct Ctx;

pub trait Mailer: Send + Sync {}

#[injectable]
pub struct Smtp;

impl Mailer for Smtp {}

#[injectable]
pub struct Handler {
    _repo: Arc<dyn Repo>,
    _ctx: Arc<Ctx>,
    _mailer: Box<dyn Mailer>,
}

pub struct Stamp(u64);

#[factory]
fn stamp() -> Stamp {
    Stamp(1)
}

container! {
    /// Docs on the container are kept.
    #[scope(Request)]
    pub struct App {
        value Config;
        singleton Pool = pool;
        singleton dyn Repo => PgRepo;
        scoped Ctx;
        transient dyn Mailer => Smtp;
        transient Handler;
        transient Stamp = stamp;
    }
}

#[inject]
async fn handle(#[inject] handler: Handler, #[inject] stamp: Stamp) -> u64 {
    let _ = handler;
    stamp.0
}

fn assert_send<T: Send>(t: T) -> T {
    t
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let app = App::new(Config);
        let scope: Request = app.create_scope();
        let _: Arc<Pool> = app.resolve().await.unwrap();
        let _: Arc<dyn Repo> = app.resolve().await.unwrap();
        let _: Arc<Ctx> = scope.resolve().await.unwrap();
        let _: Handler = scope.resolve().await.unwrap();
        let _: Arc<Handler> = scope.resolve().await.unwrap();
        let _: Box<Handler> = scope.resolve().await.unwrap();
        let _: Box<dyn Mailer> = app.resolve().await.unwrap();
        let _: Stamp = app.resolve().await.unwrap();
        let s = scope.clone();
        let out = tokio::spawn(assert_send(async move { handle(&s).await })).await.unwrap().unwrap();
        assert_eq!(out, 1);
    });
}
