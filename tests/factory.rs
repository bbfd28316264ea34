//! Factories: plain or async functions whose arguments are resolved from the container, returning
//! `T` or `Result<T, E>`; their errors come back as `injectq::Error` with the path and the source.

use std::error::Error as _;
use std::sync::Arc;

use injectq::{ErrorKind, container, factory, injectable};

pub struct Settings {
    pub url: String,
}

pub struct Pool {
    pub url: String,
}

#[derive(Debug)]
pub struct PoolError(&'static str);

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for PoolError {}

/// async and fallible
#[factory]
async fn open_pool(settings: Arc<Settings>) -> Result<Pool, PoolError> {
    if settings.url.is_empty() { Err(PoolError("connection refused")) } else { Ok(Pool { url: settings.url.clone() }) }
}

pub struct Retries(u32);

/// plain and infallible
#[factory]
fn retries() -> Retries {
    Retries(3)
}

pub struct Greeting(String);

/// plain, fallible, returning a transient
#[factory]
fn greeting(settings: Arc<Settings>) -> Result<Greeting, std::fmt::Error> {
    Ok(Greeting(format!("hello from {}", settings.url)))
}

#[injectable]
pub struct Repo {
    pool: Arc<Pool>,
    retries: Arc<Retries>,
}

#[injectable]
pub struct Handler {
    repo: Arc<Repo>,
    greeting: Greeting,
}

container! {
    pub struct App {
        value Settings;
        singleton Pool = open_pool;
        singleton Retries = retries;
        singleton Repo;
        transient Greeting = greeting;
        transient Handler;
    }
}

#[tokio::test]
async fn factories_receive_injected_arguments() {
    let app = App::new(Settings { url: "db://x".into() });
    let handler: Handler = app.resolve().await.unwrap();
    assert_eq!(handler.repo.pool.url, "db://x");
    assert_eq!(handler.repo.retries.0, 3);
    assert_eq!(handler.greeting.0, "hello from db://x");
}

#[tokio::test]
async fn a_factory_error_names_the_factory_and_the_path_and_keeps_the_source() {
    let app = App::new(Settings { url: String::new() });
    let err = app.create_scope().resolve::<Handler>().await.err().expect("the pool factory fails");
    assert_eq!(err.kind(), ErrorKind::Factory);
    assert_eq!(err.path().collect::<Vec<_>>(), ["Handler", "Repo", "Pool"]);
    assert_eq!(
        err.to_string(),
        "failed to resolve `Handler` -> `Repo` -> `Pool`: factory `open_pool` failed: connection refused"
    );
    let source = err.source().expect("the factory's error is kept");
    assert!(source.downcast_ref::<PoolError>().is_some());
}

#[tokio::test]
async fn a_transient_factory_runs_at_every_resolve() {
    let app = App::new(Settings { url: "db://y".into() });
    let a: Greeting = app.resolve().await.unwrap();
    let b: Box<Greeting> = app.resolve().await.unwrap();
    assert_eq!(a.0, b.0);
}

#[tokio::test]
async fn a_factory_declared_in_a_function_body_with_a_raw_name_is_registered() {
    // `#[factory]` defines a companion type of the fn's name; it must also work where the types
    // it builds are local to a function, and for a raw identifier
    pub struct Local(u32);

    #[factory]
    fn r#type() -> Local {
        Local(7)
    }

    container! {
        struct Here {
            transient Local = r#type;
        }
    }

    let local: Local = Here::new().resolve().await.unwrap();
    assert_eq!(local.0, 7);
}

mod plain_factory_under_a_singleton {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    use super::*;

    pub static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);

    pub struct Conn;

    /// Not `async`: called by plain calls, and refused the first time.
    #[factory]
    fn connect() -> Result<Conn, PoolError> {
        if ATTEMPTS.fetch_add(1, SeqCst) == 0 { Err(PoolError("connection refused")) } else { Ok(Conn) }
    }

    #[injectable]
    pub struct Repo {
        pub conn: Arc<Conn>,
    }

    container! {
        pub struct App {
            singleton Conn = connect;
            singleton Repo;
        }
    }

    #[tokio::test]
    async fn its_failure_names_the_path_and_the_next_resolve_creates_both() {
        let app = App::new();
        let err = app.resolve::<Arc<Repo>>().await.err().expect("the first connection is refused");
        assert_eq!(err.kind(), ErrorKind::Factory);
        assert_eq!(err.path().collect::<Vec<_>>(), ["Repo", "Conn"], "{err}");
        let repo: Arc<Repo> = app.resolve().await.unwrap();
        assert!(Arc::ptr_eq(&repo.conn, &app.resolve::<Arc<Conn>>().await.unwrap()));
        assert_eq!(ATTEMPTS.load(SeqCst), 2);
    }
}
