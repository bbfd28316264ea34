//! `#[injectable]` on the struct shapes it supports: named fields, tuple and unit structs, generic
//! structs; fields that are not injected; the init hook.

use std::sync::Arc;

use injectq::{ErrorKind, container, injectable};
use support::Failure;

mod support;

#[injectable]
pub struct Clock;

#[injectable]
pub struct Stopwatch(Arc<Clock>, #[inject(default = 60)] u32);

#[injectable]
pub struct Cache<T: Send + Sync + 'static> {
    clock: Arc<Clock>,
    #[inject(default)]
    entries: Vec<T>,
}

#[injectable]
pub struct Limits {
    #[inject(default = 10 * 1024)]
    max_body: usize,
    #[inject(default)]
    name: String,
}

#[injectable(init = Self::check)]
pub struct Upstream {
    #[inject(default)]
    healthy: bool,
}

impl Upstream {
    async fn check(&mut self) -> Result<(), Failure> {
        if self.healthy { Ok(()) } else { Err(Failure("the server did not answer")) }
    }
}

#[injectable(init = warm)]
pub struct Warmed {
    clock: Arc<Clock>,
    #[inject(default)]
    warm: bool,
}

impl Warmed {
    /// An init hook that cannot fail returns `()`.
    async fn warm(&mut self) {
        let _ = &self.clock; // the fields are there when the hook runs
        self.warm = true;
    }
}

container! {
    pub struct App {
        singleton Clock;
        transient Stopwatch;
        transient Cache<String>;
        transient Limits;
        transient Upstream;
        transient Warmed;
    }
}

#[tokio::test]
async fn tuple_structs_and_defaults() {
    let app = App::new();
    let sw: Stopwatch = app.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&sw.0, &app.resolve::<Arc<Clock>>().await.unwrap()));
    assert_eq!(sw.1, 60);
}

#[tokio::test]
async fn generic_structs_are_registered_per_concrete_type() {
    let cache: Cache<String> = App::new().resolve().await.unwrap();
    assert!(cache.entries.is_empty());
    let _ = cache.clock;
}

#[tokio::test]
async fn default_and_default_expression_fields_are_not_injected() {
    let limits: Limits = App::new().resolve().await.unwrap();
    assert_eq!((limits.max_body, limits.name.as_str()), (10 * 1024, ""));
}

#[tokio::test]
async fn the_init_hook_runs_after_construction() {
    let warmed: Warmed = App::new().resolve().await.unwrap();
    assert!(warmed.warm);
}

#[tokio::test]
async fn an_init_error_names_the_type() {
    let err = App::new().resolve::<Upstream>().await.err().expect("init fails");
    assert_eq!(err.kind(), ErrorKind::Init);
    assert_eq!(err.to_string(), "failed to resolve `Upstream`: init of `Upstream` failed: the server did not answer");
}
