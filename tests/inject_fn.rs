//! `#[inject]` on an `async fn`: marked parameters come from the container or scope passed
//! first; the others stay ordinary arguments; failures come back as `injectq::Error`.

use std::sync::Arc;

use injectq::{container, factory, inject, injectable};
use support::Failure;

mod support;

#[injectable]
pub struct Users;

impl Users {
    fn name(&self, id: u32) -> String {
        format!("user{id}")
    }
}

#[injectable]
pub struct RequestContext;

pub struct Broken;

#[factory]
fn broken() -> Result<Broken, Failure> {
    Err(Failure("down"))
}

container! {
    pub struct App {
        singleton Users;
        scoped RequestContext;
        singleton Broken = broken;
    }
}

/// The seeds' `@inject async def handle_request(user_service)`.
#[inject]
async fn handle_request(#[inject] users: Arc<Users>) -> String {
    users.name(1)
}

/// Injected and ordinary parameters mixed, in any order; early `return` and `?` in the body.
#[inject]
async fn describe(
    prefix: &str,
    #[inject] users: Arc<Users>,
    id: u32,
    #[inject] _ctx: Arc<RequestContext>,
) -> Result<String, std::fmt::Error> {
    if id == 0 {
        return Err(std::fmt::Error);
    }
    let name = users.name(id);
    Ok(format!("{prefix}{name}"))
}

/// Generic over something else than the container.
#[inject]
async fn tagged<T: std::fmt::Display + Send>(tag: T, #[inject] users: Arc<Users>) -> String {
    format!("{tag}:{}", users.name(2))
}

#[inject]
async fn needs_broken(#[inject] broken: Arc<Broken>) {
    let _ = broken;
}

#[tokio::test]
async fn called_with_the_root_container() {
    let app = App::new();
    assert_eq!(handle_request(&app).await.unwrap(), "user1");
    assert_eq!(tagged(&app, 7).await.unwrap(), "7:user2");
}

#[tokio::test]
async fn called_with_a_scope_and_ordinary_arguments() {
    let scope = App::new().create_scope();
    assert_eq!(describe(&scope, "-> ", 5).await.unwrap().unwrap(), "-> user5");
    assert!(describe(&scope, "", 0).await.unwrap().is_err(), "the body's own error is its output");
}

#[tokio::test]
async fn a_failed_resolution_is_an_injectq_error() {
    let err = needs_broken(&App::new()).await.expect_err("the factory fails");
    assert_eq!(err.to_string(), "failed to resolve `Broken`: factory `broken` failed: down");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_returned_future_is_send_and_can_be_spawned() {
    let app = App::new();
    let out = tokio::spawn(async move { handle_request(&app).await }).await.unwrap().unwrap();
    assert_eq!(out, "user1");
}
