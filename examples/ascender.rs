//! Ascender's dependency-injection examples, ported: an `@Injectable` service, the three provider
//! kinds in a module (`ClassProvider`, `ValueProvider`, `FactoryProvider`), `inject(token,
//! fallback)` from code with no handle, and a circular dependency broken with a forward
//! reference.
//!
//! Run it with `cargo run --example ascender`.

use std::sync::Arc;

use injectq::{Lazy, Tagged, container, factory, injectable, module, token};

/// The database engine the service gets injected (`db_engine=inject()`).
#[injectable]
pub struct DbEngine;

impl DbEngine {
    async fn query(&self, sql: &str, id: &str) -> String {
        format!("{} [{id}]", sql.replace('?', "'?'"))
    }
}

/// `@Injectable() class UserService`
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
    /// `"API_KEY"`
    pub ApiKey: String;
    /// A token nobody provides: `inject` falls back.
    pub Theme: String;
}

/// `FactoryProvider(provide="Config", useFactory=create_config)`
pub struct Config {
    pub api_key: String,
    pub timeout: u32,
}

#[factory]
fn create_config(api_key: Tagged<ApiKey>) -> Config {
    Config { api_key: api_key.into_inner(), timeout: 30 }
}

/// `ValueProvider(provide="API_KEY", useValue="my-api-key")`: a constant, given by a factory
#[factory]
fn api_key() -> String {
    "my-api-key".into()
}

module! {
    /// `@AscModule(providers=[..]) class AppModule`
    pub app_module {
        singleton crate::DbEngine;
        singleton crate::UserService;                 // ClassProvider
        token crate::ApiKey = crate::api_key;         // ValueProvider
        singleton crate::Config = crate::create_config; // FactoryProvider
        absent token crate::Theme;
    }
}

/// `ServiceA(service_b=inject())` with `DependencyForwardRef(lambda: service_b)`
#[injectable]
pub struct ServiceA {
    service_b: Lazy<ServiceB>,
}

/// `ServiceB(service_a=inject())`
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
    let users: Arc<UserService> = AppScope::inject().await?; // inject(UserService)
    let theme = AppScope::inject_or(Tagged::<Theme>("light".into())).await?; // inject("THEME", fallback)
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
