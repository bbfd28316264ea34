//! A request scope: a database connection opened when a request first needs it and closed when
//! the request ends, also when the request fails; code deep in the call stack resolves from the
//! request's scope without a handle, as the task's current scope.
//!
//! Run it with `cargo run -p injectq-examples --example request_scope`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, container, inject, injectable};

pub struct Settings {
    pub database_url: String,
}

static NEXT_CONNECTION: AtomicUsize = AtomicUsize::new(1);

/// A database connection: `connect()` on creation, `disconnect()` on disposal.
#[injectable(init = connect, dispose)]
pub struct DatabaseConnection {
    settings: Arc<Settings>,
    #[inject(default)]
    id: usize,
}

impl DatabaseConnection {
    async fn connect(&mut self) -> Result<(), BoxError> {
        tokio::time::sleep(Duration::from_millis(10)).await;
        self.id = NEXT_CONNECTION.fetch_add(1, Ordering::SeqCst);
        println!("  connection #{} opened to {}", self.id, self.settings.database_url);
        Ok(())
    }

    async fn query(&self, sql: &str) -> String {
        format!("#{} ran `{sql}`", self.id)
    }
}

impl AsyncDispose for DatabaseConnection {
    async fn dispose(&self) -> Result<(), BoxError> {
        tokio::time::sleep(Duration::from_millis(5)).await;
        println!("  connection #{} closed", self.id);
        Ok(())
    }
}

/// A service of the request: shares the request's connection.
#[injectable]
pub struct UserService {
    db: Arc<DatabaseConnection>,
}

impl UserService {
    async fn get_user(&self, id: u32) -> String {
        self.db.query(&format!("SELECT * FROM users WHERE id = {id}")).await
    }
}

container! {
    pub struct App {
        value Settings;
        scoped DatabaseConnection;
        transient UserService;
    }
}

/// Deep in the call stack, no handle in reach: it resolves from the task's current scope.
#[inject]
async fn audit(#[inject] db: Arc<DatabaseConnection>, action: &str) -> String {
    db.query(&format!("INSERT INTO audit VALUES ('{action}')")).await
}

async fn handle_request(user_id: u32) -> Result<String, BoxError> {
    let scope = AppScope::current()?;
    let users: UserService = scope.resolve().await?;
    let user = users.get_user(user_id).await;
    let audited = audit(&scope, "read user").await?;
    if user_id == 0 {
        return Err("no user 0".into());
    }
    Ok(format!("{user}; {audited}"))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new(Settings { database_url: "postgres://localhost/app".into() });

    for user_id in [7, 0] {
        println!("request for user {user_id}:");
        // the scope is entered for the task and disposed when the work ends, however it ends
        let outcome = app.with_scope(|_scope| handle_request(user_id)).await;
        match outcome {
            Ok(answer) => println!("  -> {answer}"),
            Err(error) => println!("  -> failed: {error}"),
        }
    }
    Ok(())
}
