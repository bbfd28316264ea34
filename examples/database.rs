//! A real database behind axum: an SQLite pool (sqlx) as an async singleton, closed when the
//! container shuts down, and a unit of work per request that commits when the request completed
//! and rolls back when it failed, was cancelled or panicked. Nothing in the handlers or services
//! calls `commit()`: the unit of work's disposer learns the request's outcome. The scope is
//! disposed before the response is sent, so `201 Created` means committed (and a failed commit
//! is a `500`). This replaces the seeds' simulated `AsyncDatabaseConnection` and
//! `AsyncServicePool` with real ones.
//!
//! Run it with `cargo run --example database`: it serves on 127.0.0.1, sends a few requests to
//! itself and prints what happened.

use std::sync::Arc;

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use injectq::axum::{Inject, InjectqRouter, ScopeLayer};
use injectq::{AsyncDispose, BoxError, Outcome, container, factory, injectable};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Sqlite, Transaction};
use tokio::sync::Mutex;

pub struct Settings {
    pub database: std::path::PathBuf,
}

/// The pool: an async singleton, created on first use.
#[factory]
async fn open_pool(settings: Arc<Settings>) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new().filename(&settings.database).create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)").execute(&pool).await?;
    Ok(pool)
}

/// Closes the pool when the container is disposed.
async fn close_pool(pool: &SqlitePool) -> Result<(), BoxError> {
    pool.close().await;
    println!("pool closed");
    Ok(())
}

/// One transaction per request, ended with the request's scope: committed if the request
/// completed, rolled back if it failed, was cancelled or panicked.
#[injectable(init = begin, dispose)]
pub struct UnitOfWork {
    pool: Arc<SqlitePool>,
    #[inject(default)]
    transaction: Mutex<Option<Transaction<'static, Sqlite>>>,
}

impl UnitOfWork {
    async fn begin(&mut self) -> Result<(), sqlx::Error> {
        *self.transaction.get_mut() = Some(self.pool.begin().await?);
        Ok(())
    }

    async fn insert_user(&self, name: &str) -> Result<i64, sqlx::Error> {
        let mut transaction = self.transaction.lock().await;
        let transaction = transaction.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        let done = sqlx::query("INSERT INTO users (name) VALUES (?)").bind(name).execute(&mut **transaction).await?;
        Ok(done.last_insert_rowid())
    }
}

impl AsyncDispose for UnitOfWork {
    /// Without an outcome, the safe choice: roll back.
    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Failed).await
    }

    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        let Some(transaction) = self.transaction.lock().await.take() else { return Ok(()) };
        if outcome.is_completed() {
            transaction.commit().await?;
            println!("  transaction committed");
        } else {
            transaction.rollback().await?;
            println!("  transaction rolled back: the request {outcome}");
        }
        Ok(())
    }
}

/// Writes users, inside the request's transaction.
#[injectable]
pub struct UserService {
    work: Arc<UnitOfWork>,
}

/// Reads users, straight from the pool: no transaction.
#[injectable]
pub struct UserDirectory {
    pool: Arc<SqlitePool>,
}

impl UserService {
    async fn create(&self, name: &str) -> Result<i64, String> {
        let id = self.work.insert_user(name).await.map_err(|e| e.to_string())?;
        if name.trim().is_empty() {
            // the request fails (422), so the row inserted above is rolled back
            return Err("a name is required".into());
        }
        Ok(id)
    }
}

impl UserDirectory {
    async fn names(&self) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT name FROM users ORDER BY id").fetch_all(&*self.pool).await
    }
}

container! {
    pub struct App {
        value Settings;
        singleton SqlitePool = open_pool, dispose = close_pool;
        scoped UnitOfWork;
        transient UserService;
        transient UserDirectory;
    }
}

#[derive(serde::Deserialize)]
struct NewUser {
    name: String,
}

async fn create_user(Query(user): Query<NewUser>, Inject(users): Inject<UserService>) -> (StatusCode, String) {
    match users.create(&user.name).await {
        Ok(id) => (StatusCode::CREATED, format!("created user {id}")),
        Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, error),
    }
}

async fn list_users(Inject(users): Inject<UserDirectory>) -> Result<String, StatusCode> {
    users.names().await.map(|names| names.join(", ")).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let database = std::env::temp_dir().join(format!("injectq-example-{}.db", std::process::id()));
    let app = App::new(Settings { database: database.clone() });
    app.start().await?; // the pool opens now, not at the first request

    // every 4xx and 5xx answer rolls back; the answer is sent once the transaction is final
    let layer = ScopeLayer::new(app.clone()).failed_when(|status| !status.is_success()).dispose_before_response();
    let router: Router =
        Router::new().route("/users", post(create_user)).route("/users", get(list_users)).with_scope_layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).with_graceful_shutdown(async { drop(stopped.await) }).await
    });

    let client = reqwest::Client::new();
    for name in ["ada", "", "grace"] {
        println!("POST /users?name={name}");
        let response = client.post(format!("{base}/users?name={name}")).send().await?;
        println!("  {} {}", response.status().as_u16(), response.text().await?);
    }
    let listed = client.get(format!("{base}/users")).send().await?.text().await?;
    println!("GET /users -> {listed}");

    // the server stops taking connections, then the container waits for what is in flight
    let _ = stop.send(());
    server.await??;
    app.shutdown(std::time::Duration::from_secs(5)).await?;
    let _ = std::fs::remove_file(&database);
    Ok(())
}
