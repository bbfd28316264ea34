//! A user's crate, as small as the quickstart's: what its documentation shows of the container
//! that `container!` generates is what a user reads. `tests/doc_probe.rs` documents it and
//! searches the pages for injectq's hidden names.

use std::sync::Arc;

use injectq::{ScopeFactory, container, factory, injectable};

/// The configuration, given to `App::new`.
pub struct Config {
    /// Where the database is.
    pub database_url: String,
}

/// A pool, opened by a factory.
pub struct Pool {
    /// The database it connects to.
    pub url: String,
}

/// Opens the pool.
#[factory]
pub async fn connect(config: Arc<Config>) -> Result<Pool, std::io::Error> {
    Ok(Pool { url: config.database_url.clone() })
}

/// The users' store.
pub trait UserRepo: Send + Sync {
    /// A user's address.
    fn find(&self, id: u32) -> String;
}

/// The users' store on the pool.
#[injectable]
pub struct PgUserRepo {
    pool: Arc<Pool>,
}

impl UserRepo for PgUserRepo {
    fn find(&self, id: u32) -> String {
        format!("user{id}@{}", self.pool.url)
    }
}

/// One per request.
#[injectable]
pub struct RequestContext;

/// New at every resolve.
#[injectable]
pub struct UserService {
    /// The store.
    pub repo: Arc<dyn UserRepo>,
    /// The request.
    pub request: Arc<RequestContext>,
}

/// A worker that opens scopes of its container, whichever it is.
#[injectable]
pub struct Worker<C: injectq::Container> {
    /// Its container's scopes.
    pub scopes: ScopeFactory<C>,
}

/// The request's id, given to each scope.
pub struct RequestId(pub u64);

/// A job's payload, given to each job scope.
pub struct Job(pub u64);

/// A job's unit of work.
#[injectable]
pub struct UnitOfWork {
    /// Its job.
    pub job: Arc<Job>,
}

container! {
    /// The application.
    #[provides(AppServices)]
    pub struct App {
        value Config;
        singleton Pool = connect;
        singleton dyn UserRepo => PgUserRepo;
        singleton Worker<Self>;
        input RequestId;
        scoped RequestContext;
        transient UserService;

        /// A job's scope.
        scope JobScope {
            input Job;
            scoped UnitOfWork;
        }
    }
}
