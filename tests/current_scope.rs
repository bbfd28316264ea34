//! Resolving from the current scope, by type or by token, with a fallback: Ascender's
//! `inject(token, fallback)` for code with no handle in reach.

use std::sync::Arc;

use injectq::{ErrorKind, Tagged, container, inject, injectable, token};

token! {
    pub Tenant: String;
    pub Locale: String;
}

#[injectable]
pub struct Users;

container! {
    pub struct App {
        singleton Users;
        token Tenant;
        absent token Locale;
    }
}

/// Deep in the call stack.
async fn handler() -> injectq::Result<(String, String)> {
    let _users: Arc<Users> = AppScope::resolve_current().await?;
    let tenant = AppScope::resolve_current::<Tagged<Tenant>>().await?.into_inner();
    let locale = AppScope::resolve_current_or(Tagged::<Locale>("en".into())).await?.into_inner();
    Ok((tenant, locale))
}

#[inject]
async fn greet(#[inject(token = Tenant)] tenant: String) -> String {
    format!("hello {tenant}")
}

#[tokio::test]
async fn code_without_a_handle_resolves_from_the_entered_scope() {
    let app = App::new(Tenant("acme".into()));
    let (tenant, locale) = app.create_scope().enter(handler()).await.unwrap();
    assert_eq!((tenant.as_str(), locale.as_str()), ("acme", "en"));
    let greeting = app.with_scope(|_| async { greet(&AppScope::current()?).await }).await.unwrap();
    assert_eq!(greeting, "hello acme");
}

#[tokio::test]
async fn with_no_scope_entered_it_is_a_clear_error() {
    let err = handler().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoCurrentScope);
    assert_eq!(err.to_string(), "no `AppScope` is entered for this task: run the code inside `scope.enter(..)`");
}
