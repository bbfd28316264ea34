//! A real database behind axum: an SQLite pool (sqlx) as an async singleton, closed when the
//! container shuts down, and a unit of work per request that commits when the request completed
//! and rolls back when it failed, was cancelled or panicked. Nothing in the handlers or services
//! calls `commit()`: the unit of work's disposer learns the request's outcome. The scope is
//! disposed before the response is sent, so `201 Created` means committed (and a failed commit
//! is a `500`).
//!
//! A unit of work that reads, then writes (a name checked, then inserted) begins with
//! `BEGIN IMMEDIATE`: it takes SQLite's write lock at the start, so concurrent writers wait for
//! their turn (up to the busy timeout) instead of failing with `SQLITE_BUSY` when their read turns
//! into a write. The example ends with 20 of them at once.
//!
//! Run it with `cargo run -p injectq-examples --example database`: it serves on 127.0.0.1, sends
//! requests to itself and prints what happened.

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
/// completed, rolled back if it failed, was cancelled or panicked. Each says how it ended in the
/// journal.
#[injectable(init = begin, dispose)]
pub struct UnitOfWork {
    pool: Arc<SqlitePool>,
    journal: Arc<Journal>,
    #[inject(default)]
    transaction: Mutex<Option<Transaction<'static, Sqlite>>>,
}

impl UnitOfWork {
    /// `BEGIN IMMEDIATE`: the write lock now, so that a read followed by a write cannot fail with
    /// `SQLITE_BUSY` half-way because another writer came in between (a plain `BEGIN` takes it at
    /// the first write, and gives up if it cannot).
    async fn begin(&mut self) -> Result<(), sqlx::Error> {
        *self.transaction.get_mut() = Some(self.pool.begin_with("BEGIN IMMEDIATE").await?);
        Ok(())
    }

    /// Inserts a user whose name is not taken yet: a read, then a write, in one transaction.
    async fn insert_user(&self, name: &str) -> Result<Option<i64>, sqlx::Error> {
        let mut transaction = self.transaction.lock().await;
        let transaction = transaction.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE name = ?")
            .bind(name)
            .fetch_one(&mut **transaction)
            .await?;
        if taken > 0 {
            return Ok(None);
        }
        let done = sqlx::query("INSERT INTO users (name) VALUES (?)").bind(name).execute(&mut **transaction).await?;
        Ok(Some(done.last_insert_rowid()))
    }
}

/// How each unit of work ended, in order.
#[derive(Default)]
pub struct Journal(std::sync::Mutex<Vec<String>>);

impl Journal {
    fn write(&self, entry: String) {
        self.0.lock().unwrap().push(entry);
    }

    /// The entries written since the last call.
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
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
            self.journal.write("transaction committed".into());
        } else {
            transaction.rollback().await?;
            self.journal.write(format!("transaction rolled back: the request {outcome}"));
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

/// Why a user was not created.
enum Refused {
    /// a request's mistake: `422`
    Invalid(&'static str),
    /// the database's: `500`
    Database(sqlx::Error),
}

impl UserService {
    async fn create(&self, name: &str) -> Result<i64, Refused> {
        let id = self.work.insert_user(name).await.map_err(Refused::Database)?;
        if name.trim().is_empty() {
            // the request fails (422), so the row inserted above is rolled back
            return Err(Refused::Invalid("a name is required"));
        }
        id.ok_or(Refused::Invalid("that name is taken"))
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
        value Journal;
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
        Err(Refused::Invalid(why)) => (StatusCode::UNPROCESSABLE_ENTITY, why.to_owned()),
        Err(Refused::Database(error)) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    }
}

async fn list_users(Inject(users): Inject<UserDirectory>) -> Result<String, StatusCode> {
    users.names().await.map(|names| names.join(", ")).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let database = std::env::temp_dir().join(format!("injectq-example-{}.db", std::process::id()));
    let journal = Arc::new(Journal::default());
    let app = App::new(Settings { database: database.clone() }, Arc::clone(&journal));
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
    for name in ["ada", "", "grace", "ada"] {
        println!("POST /users?name={name}");
        let response = client.post(format!("{base}/users?name={name}")).send().await?;
        let answer = format!("  {} {}", response.status().as_u16(), response.text().await?);
        for entry in journal.take() {
            println!("  {entry}");
        }
        println!("{answer}");
    }
    let listed = client.get(format!("{base}/users")).send().await?.text().await?;
    println!("GET /users -> {listed}");

    // 20 writers at once, each reading then writing in its own transaction
    let writers: Vec<_> = (0..20)
        .map(|i| {
            let (client, url) = (client.clone(), format!("{base}/users?name=writer{i}"));
            tokio::spawn(async move { client.post(url).send().await.map(|response| response.status()) })
        })
        .collect();
    let mut created = 0;
    for writer in writers {
        if writer.await?? == StatusCode::CREATED {
            created += 1;
        }
    }
    let committed = journal.take().iter().filter(|entry| *entry == "transaction committed").count();
    println!("20 concurrent writers: {created} created, {committed} committed");

    // the server stops taking connections, then the container waits for what is in flight
    let _ = stop.send(());
    server.await??;
    app.shutdown(std::time::Duration::from_secs(5)).await?;
    let _ = std::fs::remove_file(&database);
    Ok(())
}
