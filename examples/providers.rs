//! The three ways a module provides a service: an `#[injectable]` struct, a token's value given by
//! a factory, and a factory-built service; a token declared `absent`, which code with no handle
//! in reach resolves from the current scope with a fallback (`AppScope::resolve_current_or`); and a
//! circular dependency broken with `Lazy` on one side.
//!
//! Run it with `cargo run -p injectq-examples --example providers`.

use std::sync::Arc;

use injectq::{Lazy, Tagged, container, factory, injectable, module, token};

/// The database engine the service gets injected.
#[injectable]
pub struct DbEngine;

impl DbEngine {
    async fn query(&self, sql: &str, id: &str) -> String {
        format!("{} [{id}]", sql.replace('?', "'?'"))
    }
}

/// A service built by `#[injectable]` from what it needs.
#[injectable]
pub struct UserService {
    db: Arc<DbEngine>,
}

impl UserService {
    pub async fn find_by_id(&self, user_id: &str) -> String {
        self.db.query("SELECT * FROM users WHERE id = ?", user_id).await
    }
}

token! {
    /// The key of an API the services call.
    pub ApiKey: String;
    /// A token nobody provides: `inject` falls back.
    pub Theme: String;
}

/// The configuration, built by a factory from the API key.
pub struct Config {
    pub api_key: String,
    pub timeout: u32,
}

#[factory]
fn create_config(api_key: Tagged<ApiKey>) -> Config {
    Config { api_key: api_key.into_inner(), timeout: 30 }
}

/// The API key's value: a constant, given by a factory.
#[factory]
fn api_key() -> String {
    "my-api-key".into()
}

module! {
    /// The application's services.
    pub app_module {
        singleton crate::DbEngine;
        singleton crate::UserService;                   // built by `#[injectable]`
        token crate::ApiKey = crate::api_key;           // a token's value, from a factory
        singleton crate::Config = crate::create_config; // built by a factory
        absent token crate::Theme;
    }
}

/// Needs `ServiceB`, which needs it back: `Lazy` resolves `ServiceB` on first use, so that either
/// can be built first.
#[injectable]
pub struct ServiceA {
    service_b: Lazy<ServiceB>,
}

/// Needs `ServiceA`.
#[injectable]
pub struct ServiceB {
    service_a: Arc<ServiceA>,
}

container! {
    pub struct App {
        import app_module;
        singleton ServiceA;
        singleton ServiceB;
    }
}

/// A standalone function: no injector in reach, so it asks the current scope.
async fn handler() -> injectq::Result<String> {
    let users: Arc<UserService> = AppScope::resolve_current().await?;
    let theme = AppScope::resolve_current_or(Tagged::<Theme>("light".into())).await?; // `Theme` is absent: the fallback
    Ok(format!("{} with theme {}", users.find_by_id("42").await, theme.into_inner()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = App::new();

    let config = app.resolve::<Arc<Config>>().await?;
    println!("config: api_key={} timeout={}", config.api_key, config.timeout);

    let answer = app.with_scope(|_| handler()).await?;
    println!("handler: {answer}");

    let a = app.resolve::<Arc<ServiceA>>().await?;
    let b = a.service_b.get().await?;
    println!("circular: A -> B -> A is the same A: {}", Arc::ptr_eq(&b.service_a, &a));
    Ok(())
}
