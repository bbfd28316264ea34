//! What `container!` generates, on a documented example: [`App`] and its scope [`AppScope`], with
//! every method a declared container has. This module exists in the documentation only
//! (`cfg(doc)`); your containers get the same items, named after them.
//!
//! It is declared as:
//!
//! ```text
//! container! {
//!     /// The example application.
//!     #[provides(AppServices)]
//!     pub struct App {
//!         value Config;                              // App::new(config)
//!         input RequestId;                           // app.create_scope_with(request_id)
//!         singleton dyn Clock => SystemClock;        // one per App
//!         singleton Pool = open_pool, dispose;       // built by a factory, closed at dispose
//!         scoped Repo;                               // one per scope
//!         transient Handler;                         // new at every resolve
//!     }
//! }
//! ```

use std::sync::Arc;

use crate::{AsyncDispose, BoxError, container, factory, injectable};

/// The configuration, a `value`: given to [`App::new`].
pub struct Config {
    /// Where the database is.
    pub database_url: String,
}

/// The request's id, an `input`: given to [`App::create_scope`].
pub struct RequestId(pub u64);

/// A trait bound to its implementation.
pub trait Clock: Send + Sync {
    /// Seconds since the epoch.
    fn now(&self) -> u64;
}

/// The implementation of [`Clock`].
#[injectable]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        0
    }
}

/// A pool, built by the factory [`open_pool`] and closed when the container is disposed.
pub struct Pool {
    /// Where it connects.
    pub url: String,
}

impl AsyncDispose for Pool {
    async fn dispose(&self) -> Result<(), BoxError> {
        Ok(())
    }
}

/// Opens the [`Pool`] from the [`Config`].
#[factory]
pub async fn open_pool(config: Arc<Config>) -> Result<Pool, std::io::Error> {
    Ok(Pool { url: config.database_url.clone() })
}

/// A scoped service: one per scope.
#[injectable]
pub struct Repo {
    /// The pool.
    pub pool: Arc<Pool>,
    /// The request.
    pub request: Arc<RequestId>,
}

/// A transient: new at every resolve.
#[injectable]
pub struct Handler {
    /// The repository of the request.
    pub repo: Arc<Repo>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
}

container! {
    /// The example application.
    #[provides(AppServices)]
    pub struct App {
        value Config;
        input RequestId;
        singleton dyn Clock => SystemClock;
        singleton Pool = open_pool, dispose;
        scoped Repo;
        transient Handler;
    }
}
