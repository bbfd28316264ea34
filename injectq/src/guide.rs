//! Guides: how the pieces fit in a real service. Each guide's code compiles (it is tested with
//! the documentation), and each points to a runnable example that goes further.

/// # A web service
///
/// An HTTP API with axum: configuration from the environment, a database pool created at
/// start-up and closed at shutdown, a unit of work per request that commits or rolls back from
/// the request's outcome, the caller's identity in the request's scope, jobs run by a hosted
/// worker in scopes of their own, gRPC beside HTTP, health probes, and a graceful shutdown, all
/// from one container. The runnable versions: `examples/notes_service.rs` (the whole shape: HTTP,
/// gRPC, jobs, a hosted worker, health), `examples/database.rs` (sqlx, SQLite),
/// `examples/middleware.rs`; the tests: `tests/fakes.rs`.
///
/// ## 1. Services and the container
///
/// A value for the configuration, a factory for what another crate builds (the pool), an
/// `input` for what each request is about (the caller), scoped services for the request's work:
///
/// ```
/// use std::sync::Arc;
/// use injectq::{AsyncDispose, BoxError, Outcome, container, factory, injectable};
///
/// pub struct Config {
///     pub database_url: String,
/// }
///
/// /// Stands for a connection pool (`sqlx::PgPool` in a real service).
/// pub struct Pool {
///     pub url: String,
/// }
///
/// #[factory]
/// async fn open_pool(config: Arc<Config>) -> Result<Pool, std::io::Error> {
///     Ok(Pool { url: config.database_url.clone() })
/// }
///
/// async fn close_pool(_pool: &Pool) {}
///
/// /// Who is asking: taken from the request.
/// pub struct Caller(pub String);
///
/// /// One per request: commits if the request completed, rolls back otherwise. No handler calls
/// /// `commit()`: the disposer learns the outcome.
/// #[injectable(dispose)]
/// pub struct UnitOfWork {
///     pool: Arc<Pool>,
/// }
///
/// impl AsyncDispose for UnitOfWork {
///     async fn dispose(&self) -> Result<(), BoxError> {
///         self.dispose_after(Outcome::Failed).await
///     }
///
///     async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
///         let _verdict = if outcome.is_completed() { "COMMIT" } else { "ROLLBACK" };
///         Ok(())
///     }
/// }
///
/// #[injectable]
/// pub struct Notes {
///     work: Arc<UnitOfWork>,
///     caller: Arc<Caller>,
/// }
///
/// impl Notes {
///     pub async fn create(&self, text: &str) -> String {
///         format!("note {text:?} by {} in {}", self.caller.0, self.work.pool.url)
///     }
/// }
///
/// container! {
///     #[provides(AppServices)]
///     pub struct App {
///         value Config;
///         input Caller;
///         singleton Pool = open_pool, dispose = close_pool;
///         scoped UnitOfWork;
///         scoped Notes;
///     }
/// }
/// # let _ = App::new(Config { database_url: String::new() });
/// ```
///
/// The compiler checks the whole graph here: a service nobody provides, a singleton that needs
/// the caller (which only a request's scope has), a cycle, each is one error at the line that
/// made it.
///
/// ## 2. The router
///
/// One call installs the request scopes and the state. The caller comes from a header; a request
/// without it is refused before any scope is opened. Which statuses count as failed (and roll
/// back) is the layer's choice; `dispose_before_response()` makes the answer wait for the commit,
/// so that `201 Created` means committed.
///
/// ```
/// # use std::sync::Arc;
/// # use injectq::{container, injectable};
/// # pub struct Caller(pub String);
/// # #[injectable] pub struct Notes { caller: Arc<Caller> }
/// # impl Notes { pub async fn create(&self, text: &str) -> String { format!("{text} by {}", self.caller.0) } }
/// # container! { #[provides(AppServices)] pub struct App { input Caller; scoped Notes; } }
/// use axum::Router;
/// use axum::http::StatusCode;
/// use axum::routing::post;
/// use injectq::axum::{Inject, InjectqRouter, ScopeLayer};
///
/// async fn create_note(Inject(notes): Inject<Arc<Notes>>, text: String) -> String {
///     notes.create(&text).await
/// }
///
/// /// Written once for every container that provides what `App` does: the tests serve it too.
/// pub fn router<C: AppServices>(container: C) -> Router {
///     let layer = ScopeLayer::with_inputs(container, |parts| {
///         match parts.headers.get("x-user").and_then(|v| v.to_str().ok()) {
///             Some(user) => Ok(Caller(user.to_owned())),
///             None => Err((StatusCode::UNAUTHORIZED, "who are you?")),
///         }
///     })
///     .failed_when(|status| !status.is_success())
///     .dispose_before_response();
///     Router::new().route("/notes", post(create_note)).with_scope_layer(layer)
/// }
/// # let _ = router(App::new());
/// ```
///
/// ## 3. Start-up, serving, shutdown
///
/// `start()` creates every singleton now (the pool opens before the first request, and a bad
/// configuration fails here). At shutdown, stop taking requests first, then the container: it
/// waits for the requests in flight, disposes their scopes, then its singletons, newest first.
///
/// ```no_run
/// # pub struct Config { pub database_url: String }
/// # injectq::container! { pub struct App { value Config; } }
/// # fn router(app: App) -> axum::Router { axum::Router::new() }
/// # async fn shutdown_signal() {}
/// # #[tokio::main]
/// # async fn main() -> Result<(), injectq::BoxError> {
/// let config = Config { database_url: std::env::var("DATABASE_URL")? };
/// let app = App::new(config);
/// app.start().await?;
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
/// axum::serve(listener, router(app.clone())).with_graceful_shutdown(shutdown_signal()).await?;
/// app.shutdown(std::time::Duration::from_secs(10)).await?; // in-flight scopes, then singletons
/// # Ok(())
/// # }
/// ```
///
/// ## 4. Jobs and a hosted worker
///
/// A job is not a request: it has no caller, and takes its payload instead. Declare it as a kind
/// of scope of its own, in the same `App`, beside the request's. The worker that runs the jobs
/// is `hosted`: `start()` starts it once every singleton exists, and `shutdown()` stops it first,
/// before anything it uses is disposed. It opens a job scope per job through a
/// [`ScopeFactory`](crate::ScopeFactory) of the job kind:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use injectq::{BoxError, Hosted, ScopeFactory, container, injectable};
///
/// pub struct Caller(pub String);
/// pub struct Job(pub u64);
///
/// #[injectable]
/// pub struct Notes; // shared by requests and jobs
///
/// #[injectable]
/// pub struct UnitOfWork {
///     job: Arc<Job>,
///     notes: Arc<Notes>,
/// }
///
/// #[injectable]
/// pub struct Worker {
///     jobs: ScopeFactory<App, JobScope>, // opens job scopes
///     #[inject(default)]
///     running: Mutex<Option<tokio::task::JoinHandle<()>>>,
/// }
///
/// impl Hosted for Worker {
///     async fn start(&self) -> Result<(), BoxError> {
///         let jobs = self.jobs.clone();
///         let running = tokio::spawn(async move {
///             // for each job taken from the queue:
///             let job = jobs.create_scope_with(Job(7)).unwrap();
///             let _ = job.resolve::<Arc<UnitOfWork>>().await;
///             let _ = job.dispose().await; // its unit of work commits or rolls back
///         });
///         *self.running.lock().unwrap() = Some(running);
///         Ok(())
///     }
///
///     async fn stop(&self) -> Result<(), BoxError> {
///         let running = self.running.lock().unwrap().take();
///         if let Some(running) = running {
///             running.await?; // a real worker is told to stop, then awaited
///         }
///         Ok(())
///     }
/// }
///
/// container! {
///     pub struct App {
///         singleton Notes;
///         hosted Worker;
///         input Caller; // a request's scope: `app.create_scope_with(Caller(..))`
///
///         /// A job's scope: `app.create_job_scope_with(Job(..))`.
///         scope JobScope {
///             input Job;
///             scoped UnitOfWork;
///         }
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), BoxError> {
/// let app = App::new();
/// let report = app.start().await?; // creates the singletons, then starts the worker
/// assert_eq!(report.services()[0].name(), "Worker");
/// app.shutdown(std::time::Duration::from_secs(10)).await?; // stops the worker first
/// # Ok(())
/// # }
/// ```
///
/// A request's service that needs the job's unit of work (or the reverse) does not compile: each
/// kind of scope has its own, and the error names both.
///
/// ## 5. gRPC beside HTTP, and health
///
/// The same container serves tonic: [`injectq::tonic::ScopeLayer`](crate::tonic::ScopeLayer)
/// gives each call a scope of the container's own kind, its caller taken from the metadata, so a
/// handler resolves the same `Session` as an HTTP handler. Services that can tell whether they are
/// healthy implement [`HealthCheck`](crate::HealthCheck) and are registered with `, health`;
/// [`HealthRoutes`](crate::axum::HealthRoutes) answers `/health/live` and `/health/ready`, and
/// `injectq::tonic::health_service` is the standard `grpc.health.v1`, both not ready until
/// `start()` has finished and from the moment the shutdown begins:
///
/// ```no_run
/// # use std::time::Duration;
/// # injectq::container! { pub struct App {} }
/// # async fn run(app: App, router: axum::Router) {
/// let router = router.merge(injectq::axum::HealthRoutes::new(app.clone()).into_router());
/// let health = injectq::tonic::health_service(&app, Duration::from_secs(5));
/// // tonic::transport::Server::builder()
/// //     .add_service(health)
/// //     .add_service(scope_layer.around(NotesServer::new(api))) // a scope per call
/// # let _ = (router, health);
/// # }
/// ```
///
/// `examples/notes_service.rs` is all of it in one program, tested over real HTTP and gRPC.
///
/// ## 6. Tests
///
/// See [the testing guide](crate::guide::testing): a test container imports the production module,
/// swaps a service for a fake, and serves the same `router` over real HTTP.
#[cfg(all(feature = "axum", feature = "tonic-health"))]
pub mod web_service {}

/// # Testing
///
/// - **One container per test.** `App::new` is one allocation, and each test starts from fresh
///   singletons. A container belongs to the tokio runtime it was created on, and
///   `#[tokio::test]` makes a runtime per test: a `static` container would keep the first test's
///   workers, stopped with that test's runtime.
/// - **Fakes, checked at compile time.** Put the production registrations in a
///   [`module!`](crate::module), import it in the production container and in a test container,
///   and `override` what the test swaps. With `#[provides(AppServices)]` on the production
///   container, code written once against `C: AppServices` (a router, a worker) serves both;
///   a test container that lacks a service is one error, naming it.
/// - **Over real HTTP.** Serve `router(TestApp::new(..))` on `127.0.0.1:0` and call it with any
///   client; assert on what the fake recorded. `tests/fakes.rs` and `examples/testing.rs` do
///   exactly this.
/// - **Lifecycle assertions.** `app.dispose().await` (or `shutdown`) at the end of a test runs
///   every disposer and returns their failures, so a test can assert that a connection was
///   closed or a transaction rolled back.
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use injectq::{Scope, container, injectable}; // `Scope`: its `resolve`, in generic code
///
/// pub trait Mailer: Send + Sync {
///     fn send(&self, to: &str);
/// }
///
/// #[injectable]
/// pub struct Smtp;
///
/// impl Mailer for Smtp {
///     fn send(&self, _to: &str) {}
/// }
///
/// #[injectable]
/// pub struct Signups {
///     mailer: Arc<dyn Mailer>,
/// }
///
/// injectq::module! {
///     pub services {
///         singleton dyn crate::Mailer => crate::Smtp;
///         scoped crate::Signups;
///     }
/// }
///
/// container! {
///     #[provides(AppServices)]
///     pub struct App {
///         import services;
///     }
/// }
///
/// /// Production code, written once.
/// async fn sign_up<C: AppServices>(app: &C, user: &str) -> injectq::Result<()> {
///     let scope = app.create_scope();
///     scope.resolve::<Arc<Signups>>().await?.mailer.send(user);
///     Ok(())
/// }
///
/// // the test's fake and container
/// #[derive(Default)]
/// pub struct Sent(AtomicUsize);
///
/// #[injectable]
/// pub struct FakeMailer {
///     sent: Arc<Sent>,
/// }
///
/// impl Mailer for FakeMailer {
///     fn send(&self, _to: &str) {
///         self.sent.0.fetch_add(1, Ordering::SeqCst);
///     }
/// }
///
/// container! {
///     pub struct TestApp {
///         import services;
///         override singleton dyn Mailer => FakeMailer;
///         value Sent;
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> injectq::Result<()> {
/// let sent = Arc::new(Sent::default());
/// let app = TestApp::new(Arc::clone(&sent));
/// sign_up(&app, "ada").await?;
/// assert_eq!(sent.0.load(Ordering::SeqCst), 1);
/// app.dispose().await?;
/// # Ok(())
/// # }
/// ```
pub mod testing {}
