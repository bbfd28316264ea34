#![doc = include_str!("../../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod assisted;
mod bag;
mod checked;
mod constructing;
mod current;
mod deadline;
mod dispose;
mod error;
mod fields;
mod future;
mod gate;
mod graph;
mod handles;
mod health;
mod hooks;
mod hosting;
mod lazy;
mod lifecycle;
mod now;
mod outputs;
mod provide;
mod registry;
mod resolve;
mod slot;
mod sync;
mod tenants;
mod token;
#[cfg(feature = "tracing")]
mod trace;

#[doc(hidden)]
pub mod __private;

// the example container of the docs names this crate as its users do
#[cfg(doc)]
extern crate self as injectq;

#[cfg(doc)]
pub mod example;

pub mod diagnostics;
pub mod guide;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
#[cfg(feature = "config")]
#[cfg_attr(docsrs, doc(cfg(feature = "config")))]
pub mod config;
#[cfg(any(feature = "axum", feature = "tonic"))]
mod served;
#[cfg(feature = "tonic")]
#[cfg_attr(docsrs, doc(cfg(feature = "tonic")))]
pub mod tonic;

pub use assisted::{Assisted, AssistedFactory, AssistedSig};
pub use dispose::{AsyncDispose, DisposeError, DisposeFailure, Outcome};
pub use error::{BoxError, Error, ErrorKind, Result};
pub use graph::{Graph, Lifetime, Service};
pub use handles::{Container, NoInputs, Scope, ScopeFactory};
pub use health::{HealthCheck, HealthReport, Phase, Probe, ServiceHealth, Status};
pub use hosting::{Hosted, ServiceStart, StartReport};
pub use lazy::{Lazy, Provider};
pub use now::GetNow;
pub use provide::Provide;
pub use tenants::{TenantStats, Tenants};
pub use token::{Tagged, Token};

/// Builds a struct from the container: every field is resolved, asynchronously.
///
/// ```
/// use std::sync::Arc;
/// use injectq::injectable;
///
/// pub struct Pool;
///
/// #[injectable(init = Self::warm_up)]
/// pub struct Repo {
///     pool: Arc<Pool>,                 // resolved from the container
///     #[inject(default = 3)]
///     retries: u32,                    // not injected: this expression
///     #[inject(default)]
///     cache: Vec<String>,              // not injected: Default::default()
/// }
///
/// impl Repo {
///     async fn warm_up(&mut self) -> Result<(), std::io::Error> {
///         self.cache.push("ready".into());
///         Ok(())
///     }
/// }
/// ```
///
/// writes, in short:
///
/// ```text
/// impl Injectable for Repo { type Recipe = Self; } // how a registration names its recipe
/// impl Produces for Repo { type Output = Self; }    // what the recipe builds
///
/// impl<C> Recipe<C> for Repo where C: Provide<Arc<Pool>> {
///     async fn build(c: &C) -> injectq::Result<Self> {
///         let pool = c.provide().await?;
///         let mut this = Repo { pool, retries: 3, cache: Default::default() };
///         this.warm_up().await.map_err(|e| Error::init("Repo", e))?;
///         Ok(this)
///     }
/// }
/// ```
///
/// (Without an init hook, `build` is one call of a function of the runtime that resolves the
/// fields and makes the struct, which compiles faster than an `async` block per struct; it also
/// writes `build_now`, the same by plain calls when every field can be had without awaiting, and
/// `pending`, which starts the creation of the first shared dependency that does not exist yet.
/// A container creates most services with those two and never compiles `build` for them: it
/// awaits what `pending` hands out, then calls `build_now`. Only a service that must await
/// something of its own every time it is built (an init hook, an async factory, among its
/// transient dependencies too) is built by `build`.)
/// A field the struct owns (`#[inject(default)]`) must be `Send + Sync`, since a service is
/// shared between tasks: one that is not is an error on that field.
///
/// The struct knows no container: any container that provides its fields can build it, and one
/// that does not is a compile error at its registration. Tuple, unit and generic structs work;
/// borrowed (lifetime-generic) structs, enums and unions are refused with a message.
pub use injectq_macros::injectable;

/// Makes a function a factory: its arguments are resolved from the container and it returns the
/// service, `T` or `Result<T, E>`. Plain and `async` functions both work.
///
/// ```
/// use std::sync::Arc;
/// use injectq::{container, factory};
///
/// pub struct Config { pub url: String }
/// pub struct Pool { pub url: String }
///
/// #[factory]
/// async fn open_pool(config: Arc<Config>) -> Result<Pool, std::io::Error> {
///     Ok(Pool { url: config.url.clone() })
/// }
///
/// container! {
///     pub struct App {
///         value Config;
///         singleton Pool = open_pool;
///     }
/// }
/// ```
///
/// The function stays as written; beside it, `#[factory]` writes a hidden type with the same name
/// that implements the same hidden `Recipe` trait as an `#[injectable]` struct, which is what the
/// registration `= open_pool` names. An error
/// returned by the function comes back as an [`Error`] of kind [`ErrorKind::Factory`] that keeps
/// it as its source. In short, it writes:
///
/// ```text
/// pub struct open_pool {}
///
/// impl Factory for open_pool { type Recipe = Self; } // how a registration names its recipe
/// impl Produces for open_pool { type Output = Pool; } // what the recipe builds
///
/// impl<C> Recipe<C> for open_pool where C: Provide<Arc<Config>> {
///     async fn build(c: &C) -> injectq::Result<Pool> {
///         let config = c.provide().await?;
///         open_pool(config).await.map_err(|e| Error::factory("open_pool", e))
///     }
/// }
/// ```
///
/// That type is public whatever the function's visibility, so that a public container can name
/// it; so what the factory builds must be public too (a private one is rustc's "private type
/// `Pool` in public interface", at `#[factory]`). Its name takes the function's name in the
/// type namespace: a module or type of the same name beside it is "the name `open_pool` is
/// defined multiple times", at `#[factory]`.
///
/// Parameters marked `#[arg]` are given by the caller (assisted injection): such a factory is
/// not registered but injected as [`Assisted<name>`](Assisted), and called with its arguments as a
/// tuple; the other parameters are resolved from the container or scope it was injected from.
///
/// A parameter marked `#[inner]` makes the factory a decorator: it takes the service it wraps,
/// and is declared with `decorate Service = name;` in a container, never registered (see the
/// README's "Decorators").
///
/// ```
/// use std::sync::Arc;
/// use injectq::{Assisted, container, factory, injectable};
///
/// #[injectable]
/// pub struct Pool;
///
/// pub struct Conn { pub url: String }
///
/// #[factory]
/// async fn connect(_pool: Arc<Pool>, #[arg] url: String) -> Conn {
///     Conn { url }
/// }
///
/// container! {
///     pub struct App {
///         singleton Pool;
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> injectq::Result<()> {
/// let app = App::new(); // `Assisted` holds a weak handle: keep the container
/// let connect: Assisted<connect> = app.resolve().await?;
/// let conn = connect.call(("postgres://replica".to_owned(),)).await?;
/// assert_eq!(conn.url, "postgres://replica");
/// # Ok(())
/// # }
/// ```
pub use injectq_macros::factory;

/// Resolves the parameters marked `#[inject]` from a container or scope that the caller passes
/// first; the other parameters stay ordinary arguments.
///
/// ```
/// use std::sync::Arc;
/// use injectq::{container, inject, injectable};
///
/// #[injectable]
/// pub struct Users;
///
/// container! {
///     pub struct App {
///         singleton Users;
///     }
/// }
///
/// #[inject]
/// async fn greet(#[inject] users: Arc<Users>, name: &str) -> String {
///     let _ = users;
///     format!("hello {name}")
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> injectq::Result<()> {
/// let app = App::new();
/// assert_eq!(greet(&app, "ada").await?, "hello ada");
/// # Ok(())
/// # }
/// ```
///
/// The function becomes `async fn greet<C>(container: &C, name: &str) -> injectq::Result<String>
/// where C: Provide<Arc<Users>>`: a container that lacks a marked parameter's type is a compile
/// error at the call. It must be an `async fn` and a free function. In short, it writes:
///
/// ```text
/// async fn greet<C>(container: &C, name: &str) -> injectq::Result<String>
/// where
///     C: Provide<Arc<Users>>,
/// {
///     async fn body(users: Arc<Users>, name: &str) -> String { /* as written */ }
///     let users = container.provide().await?;
///     Ok(body(users, name).await)
/// }
/// ```
///
/// A marked parameter takes the options of a field: `#[inject(token = ApiKey)]`,
/// `#[inject(fallback = expr)]`.
pub use injectq_macros::inject;

/// Declares a root container and its scope type.
///
/// ```
/// use std::sync::Arc;
/// use injectq::{container, injectable};
///
/// pub struct Config;
///
/// #[injectable]
/// pub struct Clock;
///
/// #[injectable]
/// pub struct RequestId;
///
/// container! {
///     /// The application.
///     #[scope(Request)]            // optional: the scope type's name (default `AppScope`)
///     pub struct App {
///         value Config;            // an argument of App::new, shared as Arc<Config>
///         singleton Clock;         // one per App
///         scoped RequestId;        // one per Request
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> injectq::Result<()> {
/// let app = App::new(Config);
/// let request: Request = app.create_scope();
/// let id: Arc<RequestId> = request.resolve().await?;
/// # let _ = id;
/// # Ok(())
/// # }
/// ```
///
/// Registrations: `value T;`, `singleton T;`, `scoped T;`, `transient T;`, `input T;` (given to
/// each scope: `create_scope_with(t)`), a trait object with its implementation (`singleton dyn Trait
/// => Impl;`), a factory (`singleton T = make_t;`), a factory of a trait object (`singleton dyn
/// Trait = make_it;`, returning `Arc<dyn Trait>` or `Box<dyn Trait>`) and a factory-built
/// implementation (`singleton dyn Trait => Impl = make_impl;`), and a hosted service
/// (`hosted Consumer;`, a singleton that implements [`Hosted`], started by `start()` and stopped
/// first by `shutdown()`). `Self` in a registration is the
/// container that declares it, or that imports the module that holds it: `singleton Worker<Self>;`
/// registers a worker generic over its container (one that holds a `ScopeFactory<C>`) in each.
/// `scope JobScope { input Job; scoped UnitOfWork; }` declares another kind of scope, with its own
/// inputs, scoped services and transients, opened with `create_job_scope_with(job)` (or a
/// `ScopeFactory<App, JobScope>`); what every kind needs is declared once, at the top level. A
/// kind declared inside another (`scope MessageScope { input Frame; scoped Handler; }` inside
/// `scope ConnectionScope { .. }`) is opened from a scope of that kind
/// (`connection.create_message_scope_with(frame)`), sees its services and inputs, and is
/// disposed before it; its scope has `outer()`, the scope it was opened in.
/// The container is a cheap handle (`Clone` shares it) with `new`, `create_scope()` (no inputs)
/// or `create_scope_with(inputs)`, `resolve`, `get`, `start`, `is_ready`, `ready`, `with_scope(f)` or
/// `with_scope_with(inputs, f)`, and its lifecycle: `dispose`, `shutdown(deadline)`, `on_dispose`,
/// `set_dispose_timeout`, `set_create_timeout`. The scope has `resolve`, `root`, `enter`,
/// `current`, `dispose`, `dispose_as(outcome)` and `set_outcome`. The whole graph is checked where
/// the container is declared: missing providers, captive dependencies and cycles are compile
/// errors. In short, it writes:
///
/// ```text
/// pub struct App { /* Arc of: the values, one Slot per singleton, the disposal bag */ }
/// pub struct Request { /* Arc of: the root, one Slot per scoped service, its bag */ }
///
/// // per container: one blanket impl each, which hands every request to the runtime's strategy
/// impl<T: Shape<App>> Provide<T> for App { /* the strategy of T's shape and lifetime */ }
/// impl<T: Shape<App>> Provide<T> for Request { /* the same, from the scope */ }
///
/// // per registration: what it is, and how it is built (checked here, once)
/// impl Registered<App> for Clock { const NODE: usize = 1; type Lifetime = SingletonKind; }
/// impl Shared<App> for Clock { type Builder = <Clock as Injectable>::Recipe; fn slot(..) { .. } }
/// impl Registered<App> for RequestId { const NODE: usize = 2; type Lifetime = ScopedKind; }
/// impl Shared<Request> for RequestId { type Builder = <RequestId as Injectable>::Recipe; fn slot(..) { .. } }
/// // plus Container and Scope, App::graph()
///
/// const _: () = /* the dependency graph, checked for cycles while compiling */;
/// ```
///
/// `#[provides(AppServices)]` above the struct also writes a trait that stands for everything the
/// container provides, `resolve` and `get` alike (what is shared is `GetNow` too), and opens its
/// scopes with the same inputs: code generic over `C: AppServices` serves the production
/// container and a test container (see the README's "Testing with fakes").
///
/// Every generated item, with its documentation, is shown on an example container in
/// [`example`]: [`example::App`] and [`example::AppScope`].
///
/// Other registrations: `token K;`, `absent T;`, `singleton dyn Trait += Impl;` (a collection),
/// `import path::module;`, `override <registration>;`, `child pub struct Admin { .. }`; see the
/// crate documentation.
pub use injectq_macros::container;

/// Declares a module: a named group of registrations, defined once (in this crate or another)
/// and imported into containers with `import path::name;`.
///
/// Write paths from the crate root (`crate::db::Pool`) or absolutely: the module's registrations
/// expand inside each container that imports it, where every check runs as if they were written
/// there: a missing provider, a captive dependency, a cycle, a registration that two modules
/// both make.
///
/// ```
/// pub mod db {
///     use injectq::injectable;
///
///     #[injectable]
///     pub struct Pool;
///
///     injectq::module! {
///         /// Storage.
///         pub persistence {
///             singleton crate::db::Pool;
///         }
///     }
/// }
///
/// injectq::container! {
///     pub struct App {
///         import db::persistence;
///     }
/// }
/// # fn main() {}
/// ```
///
/// `override <registration>;` after the import replaces one of its registrations, for a test's
/// fake: `override singleton dyn Clock => FakeClock;`.
pub use injectq_macros::module;
