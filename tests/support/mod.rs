//! Shared by the behaviour tests (`mod support;`). Each test binary uses a part of it.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

/// An error with a fixed message, for factories and init hooks that fail on purpose.
#[derive(Debug)]
pub struct Failure(pub &'static str);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Failure {}

/// How long anything a test waits for may take: past it, the test fails instead of hanging.
pub const LIMIT: Duration = Duration::from_secs(20);

/// `f`, or a failure that names `what` if it does not finish within [`LIMIT`] (a deadlock).
pub async fn bounded<F: Future>(what: &str, f: F) -> F::Output {
    match tokio::time::timeout(LIMIT, f).await {
        Ok(out) => out,
        Err(_) => panic!("deadlock: {what} did not finish within {LIMIT:?}"),
    }
}

/// Waits until `done`, checking every 2 ms, or fails past [`LIMIT`].
pub async fn eventually(what: &str, done: impl Fn() -> bool) {
    bounded(what, async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await;
}
