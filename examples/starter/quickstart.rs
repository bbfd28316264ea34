//! The smallest complete injectq program: a singleton, a scoped and a transient service, wired
//! by the compiler, resolved and printed.
//!
//! Run it with `cargo run --example quickstart`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use injectq::{container, factory, inject, injectable};

/// Configuration, given to the container when it is created.
pub struct Config {
    pub database_url: String,
}

/// A connection pool: expensive, created once, by an async factory.
pub struct Pool {
    url: String,
}

#[derive(Debug)]
pub struct ConnectError(String);

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot connect: {}", self.0)
    }
}

impl std::error::Error for ConnectError {}

#[factory]
async fn connect(config: Arc<Config>) -> Result<Pool, ConnectError> {
    if config.database_url.is_empty() {
        return Err(ConnectError("empty database url".into()));
    }
    Ok(Pool { url: config.database_url.clone() })
}

/// What the application needs from storage.
pub trait UserRepo: Send + Sync {
    fn find(&self, id: u32) -> String;
}

#[injectable]
pub struct PgUserRepo {
    pool: Arc<Pool>,
}

impl UserRepo for PgUserRepo {
    fn find(&self, id: u32) -> String {
        format!("user{id}@{}", self.pool.url)
    }
}

static REQUESTS: AtomicUsize = AtomicUsize::new(0);

/// One per request (per scope).
#[injectable(init = start)]
pub struct RequestContext {
    #[inject(default)]
    pub id: usize,
}

impl RequestContext {
    async fn start(&mut self) -> Result<(), std::convert::Infallible> {
        self.id = REQUESTS.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(())
    }
}

/// Created afresh each time it is asked for, and handed over by value.
#[injectable]
pub struct UserService {
    repo: Arc<dyn UserRepo>,
    request: Arc<RequestContext>,
}

impl UserService {
    pub fn describe(&self, id: u32) -> String {
        format!("request #{}: {}", self.request.id, self.repo.find(id))
    }
}

container! {
    /// The application's container.
    pub struct App {
        value Config;
        singleton Pool = connect;
        singleton dyn UserRepo => PgUserRepo;
        scoped RequestContext;
        transient UserService;
    }
}

/// A handler: `users` comes from the container, `id` from the caller.
#[inject]
async fn show_user(#[inject] users: UserService, id: u32) -> String {
    users.describe(id)
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    // `--graph`: print the container's dependency graph (as Mermaid) instead
    if std::env::args().any(|arg| arg == "--graph") {
        print!("{}", App::graph().to_mermaid());
        return Ok(());
    }
    let app = App::new(Config { database_url: "postgres://localhost/app".into() });

    // Singletons are created once, on first use, and shared.
    let repo = app.resolve::<Arc<dyn UserRepo>>().await?;
    println!("singleton: {}", repo.find(1));

    for _request in 0..2 {
        // A scope per request: its scoped services are shared within it.
        let scope = app.create_scope();
        let service: UserService = scope.resolve().await?; // a transient, by value
        println!("{}", service.describe(7));
        println!("{}", show_user(&scope, 42).await?);
    }
    Ok(())
}
