//! The catalogue of injectq's compile-time diagnostics.
//!
//! Every message that injectq writes begins with a stable code, such as
//! `[injectq::missing-provider]`. Each code below says what triggers it, shows a minimal
//! program that triggers it (compiled with the documentation: it must fail), and the fix
//! (compiled too: it must build). Messages may be reworded between releases; codes are not.
//!
//! The codes, in the order a newcomer tends to meet them:
//!
//! | code | in short |
//! |---|---|
//! | [`missing-provider`](#missing-provider) | a type is asked for that the container does not register |
//! | [`not-injectable`](#not-injectable) | a registered struct has no `#[injectable]` (or factory) to build it |
//! | [`captive-dependency`](#captive-dependency) | something long-lived needs something shorter-lived, or a scope of one kind needs another kind's |
//! | [`dependency-cycle`](#dependency-cycle) | services that each need the other to be built first |
//! | [`wrong-shape`](#wrong-shape) | a registered type asked for in a shape its lifetime does not hand out |
//! | [`duplicate-registration`](#duplicate-registration) | one type registered twice |
//! | [`duplicate-key`](#duplicate-key) | two members of one map under the same key |
//! | `private` | a module's private helper resolved from the container, needed by a service outside the module, or by another module's service: resolve what the module makes public, keep a helper of your own, or make the registration public |
//! | `config-validate` | `config T;` where `T` does not implement `injectq::config::Validate` (feature `config`): `impl Validate for T {}` accepts every value |
//! | [`invalid-registration`](#invalid-registration) | a registration whose parts do not go together |
//! | [`container-syntax`](#container-syntax) | `container!`'s own syntax |
//! | [`module-syntax`](#module-syntax) | `module!`'s own syntax, or an import that cannot be |
//! | [`absent-conflict`](#absent-conflict) | a type registered and declared `absent` |
//! | [`not-a-token`](#not-a-token) | `token K;` for a `K` that `token!` did not declare |
//! | [`token-value`](#token-value) | a token's field of another type than the token's value |
//! | [`not-shared`](#not-shared) | a service field that cannot be shared between tasks |
//! | [`borrowed-service`](#borrowed-service) | a service, parameter or factory argument that borrows |
//! | [`hook-signature`](#hook-signature) | an init or dispose hook of the wrong shape |
//! | [`dispose-impl`](#dispose-impl) | `#[injectable(dispose)]` without `AsyncDispose` |
//! | [`factory-output`](#factory-output) | a factory that builds another type than the one registered |
//! | [`not-a-factory`](#not-a-factory) | a registration's `= f` (or `Assisted<f>`) that is not a `#[factory]` |
//! | [`must-await`](#must-await) | `get` of what must be awaited every time it is built |
//! | [`scope-inputs`](#scope-inputs) | a scope opened without the inputs its container's scopes take |
//! | [`scope-opener`](#scope-opener) | a kind of scope opened from where it is not opened |
//! | [`not-a-decorator`](#not-a-decorator) | `decorate T = f;` where `f` has no `#[inner]` parameter |
//! | [`decorator-type`](#decorator-type) | a decorator whose `#[inner]` parameter is not how its service is handed over |
//! | [`not-hosted`](#not-hosted) | a type declared `hosted` that does not implement `Hosted` |
//! | [`not-a-health-check`](#not-a-health-check) | a type registered with `, health` that does not implement `HealthCheck` |
//! | [`other-container`](#other-container) | a service that holds the `ScopeFactory` of another container |
//! | [`injectable-usage`](#injectable-usage) | `#[injectable]` on the wrong item, or with an unknown option |
//! | [`inject-attribute`](#inject-attribute) | `#[inject(..)]` options that do not exist or do not go together |
//! | [`inject-usage`](#inject-usage) | `#[inject]` on something other than a free `async fn` |
//! | [`factory-usage`](#factory-usage) | `#[factory]` on something other than a plain free function |
//!
//! Some mistakes are found by rustc's type checker rather than by a macro; rustc then adds its
//! own notes (the bounds it was proving, some with injectq's internal paths) below injectq's
//! message. The first line, with the code, is the one to read.
//!
//! A few mistakes are reported by rustc alone, without a code, because injectq cannot see them
//! before rustc does. What you read for each:
//!
//! | mistake | what rustc says |
//! |---|---|
//! | two tokens handed to `App::new` in the wrong order | "arguments to this function are incorrect", "expected `ApiKey`, found `DatabaseUrl`", and "swap these arguments" |
//! | a token's value of the wrong type, `App::new(Retries("three"))` | "mismatched types: expected `u32`, found `&str`" at the value |
//! | one type registered under two paths (`Clock` and `crate::Clock`) | "conflicting implementations of trait `Registered<App>` for type `Clock`", and the same for each shape both registrations hand out (`Shape<App>` for `Clock` and `Option<Clock>`): the first is the one to read |
//! | `dyn Repo => PgRepo` where `PgRepo` does not implement `Repo` | "the trait bound `PgRepo: Repo` is not satisfied" at the implementation |
//! | `= f` where `f` is a plain `fn`, without `#[factory]` | "expected type, found function `f`" at `f` |
//! | a `#[factory]` fn named like a module or type beside it | "the name `pool` is defined multiple times", "`pool` reimported here" at `#[factory]`: it also defines a type of the fn's name; registered (`= pool`), also "expected type, found module `pool`" at the registration. Rename one of the two: rustc's advice (import it `as` another name, or import a hidden type of injectq's) does not apply |
//! | `import m;` where `m` is not a module | "cannot find macro `m` in this scope" |
//! | a `Tenants` cache whose key (the kind's input) is not `Clone + Eq + Hash` | "the function or associated item `of` exists for struct `Tenants<App, TenantScope>`, but its trait bounds were not satisfied", with the derive to add |
//! | a `Tenants` cache of a nested kind | the same, with "doesn't satisfy `<RequestScope as Scope>::Outer = App`" at the kind: a cache keeps a kind opened from the container, so key the outer kind |
//! | two containers in one Rust module that import a `module!` declaring a `scope` kind | "the name `JobScope` is defined multiple times", and more for its hidden state: each container declares the kind's type where it is declared. Declare the second container (a test container) in a Rust module of its own (`mod tests { .. }`) |
//! | a registered service with a field that is not `Send + Sync` | injectq's [`not-shared`](#not-shared) at the field, first; then rustc's "cannot be shared between threads safely" (and "cannot be sent", for an `Rc`) at the container and its registration |
//! | a `#[factory]` that builds a private type | "private type `Pool` in public interface" at `#[factory]`: make the type `pub`, since the factory's hidden type is public so that a public container can name it |
//! | a registered factory that builds a type that is not `Send + Sync` | rustc's "cannot be shared between threads safely" three times, at the container and its registration |
//!
//! # missing-provider
//!
//! A type is resolved, injected or passed as a factory's argument, and the container has no
//! registration for it. The message names the container and the type, at the place that asks.
//!
//! ```compile_fail
//! use std::sync::Arc;
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Mailer;
//! #[injectable] pub struct Signup { mailer: Arc<Mailer> }
//!
//! container! { pub struct App { singleton Signup; } } // Mailer is not registered
//! ```
//!
//! Fix: register it (or, for an `Option<T>` dependency, declare `absent T;`).
//!
//! ```
//! use std::sync::Arc;
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Mailer;
//! #[injectable] pub struct Signup { mailer: Arc<Mailer> }
//!
//! container! { pub struct App { singleton Mailer; singleton Signup; } }
//! ```
//!
//! # not-injectable
//!
//! A struct is registered, but nothing says how to build it: it has no `#[injectable]`, and the
//! registration names no factory.
//!
//! ```compile_fail
//! use injectq::container;
//!
//! pub struct Clock;
//!
//! container! { pub struct App { singleton Clock; } }
//! ```
//!
//! Fix: put `#[injectable]` on the struct, or register it with a factory, `singleton Clock =
//! make_clock;`.
//!
//! ```
//! use injectq::{container, injectable};
//!
//! #[injectable]
//! pub struct Clock;
//!
//! container! { pub struct App { singleton Clock; } }
//! ```
//!
//! # captive-dependency
//!
//! Something that lives as long as the container (a singleton, or the root container itself)
//! needs something that lives only as long as a scope (a scoped service, a scope's `input`).
//! It would keep that scope's instance captive after the scope ends, so it is refused, also
//! through a transient, a `Lazy`, a `Provider` or an `Assisted` handle.
//!
//! ```compile_fail
//! use std::sync::Arc;
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Request;
//! #[injectable] pub struct Audit { request: Arc<Request> }
//!
//! container! { pub struct App { scoped Request; singleton Audit; } }
//! ```
//!
//! Fix: make the dependent scoped (or the dependency a singleton), or resolve from a scope.
//!
//! ```
//! use std::sync::Arc;
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Request;
//! #[injectable] pub struct Audit { request: Arc<Request> }
//!
//! container! { pub struct App { scoped Request; scoped Audit; } }
//! ```
//!
//! A container with several kinds of scope (`scope JobScope { .. }`) refuses the same way a
//! service of one kind that needs another kind's scoped service or input: "`Arc<UnitOfWork>`
//! lives in `JobScope` scopes, and `AppScope` is another kind of scope". Register what both need
//! at the container's top level, or move the dependent into the kind it needs. A kind nested in
//! another (`scope MessageScope { .. }` inside `scope ConnectionScope { .. }`) may need its outer
//! kind's services, not the other way round: "`Arc<Frame>` lives in `MessageScope` scopes, which
//! are opened inside `ConnectionScope` scopes and end before them". Move the dependent into the
//! inner kind, or the dependency out to the outer kind (or the top level).
//!
//! # dependency-cycle
//!
//! Services that, through their dependencies, each need another to be built first. The message
//! prints the loop and names the edge to defer.
//!
//! ```compile_fail
//! use std::sync::Arc;
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Orders { customers: Arc<Customers> }
//! #[injectable] pub struct Customers { orders: Arc<Orders> }
//!
//! container! { pub struct App { singleton Orders; singleton Customers; } }
//! ```
//!
//! Fix: remove one dependency, or defer it: `Lazy<T>` for a shared service (resolved on first
//! use), `Provider<T>` for a transient (a new one per call; resolve a cycle of transients from
//! a scope).
//!
//! ```
//! use std::sync::Arc;
//! use injectq::{Lazy, container, injectable};
//!
//! #[injectable] pub struct Orders { customers: Arc<Customers> }
//! #[injectable] pub struct Customers { orders: Lazy<Orders> }
//!
//! container! { pub struct App { singleton Orders; singleton Customers; } }
//! ```
//!
//! # wrong-shape
//!
//! A registered type asked for in a shape that its registration does not hand out: a singleton,
//! scoped service, value or input by value or in a `Box` (only transients are handed out owned;
//! the message says how it is registered), a `Lazy` of a transient (there is nothing to keep), a
//! token's type without `Tagged`, a type declared `absent`.
//!
//! ```compile_fail
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Pool;
//! container! { pub struct App { singleton Pool; } }
//!
//! # async fn run() {
//! let _: Box<Pool> = App::new().resolve().await.unwrap();
//! # }
//! ```
//!
//! Fix: ask for the shape the message names (singletons, scoped services and values as
//! `Arc<T>`; transients as `T`, `Arc<T>` or `Box<T>`; tokens as `Tagged<K>`).
//!
//! ```
//! use std::sync::Arc;
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Pool;
//! container! { pub struct App { singleton Pool; } }
//!
//! # async fn run() {
//! let _: Arc<Pool> = App::new().resolve().await.unwrap();
//! # }
//! ```
//!
//! # duplicate-registration
//!
//! One type registered twice in a container (directly, through two imported modules, or in a
//! child and its parent): one type has one provider.
//!
//! ```compile_fail
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Cache;
//! container! { pub struct App { singleton Cache; scoped Cache; } }
//! ```
//!
//! Fix: keep one. To replace a module's registration in a test container, use
//! `override singleton ...`.
//!
//! ```
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Cache;
//! container! { pub struct App { singleton Cache; } }
//! ```
//!
//! # duplicate-key
//!
//! Two members of one keyed map (`singleton dyn Handler += Users, key = "users";`) under the same
//! key: a map holds one service per key.
//!
//! ```compile_fail
//! use injectq::{container, injectable};
//!
//! pub trait Handler: Send + Sync {}
//! #[injectable] pub struct Users;
//! #[injectable] pub struct Accounts;
//! impl Handler for Users {}
//! impl Handler for Accounts {}
//! container! { pub struct App {
//!     singleton dyn Handler += Users, key = "users";
//!     singleton dyn Handler += Accounts, key = "users";
//! } }
//! ```
//!
//! Fix: give each member its own key.
//!
//! ```
//! use injectq::{container, injectable};
//!
//! pub trait Handler: Send + Sync {}
//! #[injectable] pub struct Users;
//! #[injectable] pub struct Accounts;
//! impl Handler for Users {}
//! impl Handler for Accounts {}
//! container! { pub struct App {
//!     singleton dyn Handler += Users, key = "users";
//!     singleton dyn Handler += Accounts, key = "accounts";
//! } }
//! ```
//!
//! Two constants of one value written differently (`key = 8080u16` and `key: u16 = ADMIN_PORT`)
//! are found by rustc instead: its `unreachable pattern` error points at both keys ("matches all
//! the relevant values", "no value can reach this").
//!
//! # invalid-registration
//!
//! A registration whose parts do not go together: a `value` or `input` with a factory (they are
//! given, not built), `=>` without `dyn` on its left, `dispose` on a transient or a value, a
//! reference registered as a value, a collection member that is not a service. A binding hands
//! out its implementation's instance, so a binding in another lifetime than its implementation's
//! registration, or with a factory of its own for an implementation registered already (or
//! built by another binding's factory), is one too.
//!
//! ```compile_fail
//! use injectq::{container, factory};
//!
//! pub struct Config;
//! #[factory] fn load() -> Config { Config }
//!
//! container! { pub struct App { value Config = load; } }
//! ```
//!
//! Fix: as the message says; here, a value is handed to `App::new`, and a built configuration
//! is a singleton.
//!
//! ```
//! use injectq::{container, factory};
//!
//! pub struct Config;
//! #[factory] fn load() -> Config { Config }
//!
//! container! { pub struct App { singleton Config = load; } }
//! ```
//!
//! # container-syntax
//!
//! `container!`'s own syntax: an unknown keyword, a missing `;`, something other than one
//! `struct` with its registrations, a generic container, a scope named like its container.
//!
//! ```compile_fail
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Cache;
//! container! { pub struct App { singelton Cache; } }
//! ```
//!
//! Fix: the keywords are `singleton`, `scoped`, `transient`, `value`, `input`, `token`,
//! `absent`, `import`, `override` and `child`.
//!
//! ```
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Cache;
//! container! { pub struct App { singleton Cache; } }
//! ```
//!
//! # module-syntax
//!
//! `module!`'s own syntax, or an `import` that names something other than a module (or that
//! stands in a `child` container, which sees its parent's imports).
//!
//! ```compile_fail
//! injectq::module! { pub storage { singelton crate::Cache; } }
//! # #[injectq::injectable] pub struct Cache;
//! ```
//!
//! Fix: a module holds registrations as a container does.
//!
//! ```
//! injectq::module! { pub storage { singleton crate::Cache; } }
//! # #[injectq::injectable] pub struct Cache;
//! ```
//!
//! # absent-conflict
//!
//! A type both registered and declared `absent`: an optional dependency is one or the other.
//!
//! ```compile_fail
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Tracer;
//! container! { pub struct App { singleton Tracer; absent Tracer; } }
//! ```
//!
//! Fix: remove one.
//!
//! ```
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Tracer;
//! container! { pub struct App { absent Tracer; } }
//! ```
//!
//! # not-a-token
//!
//! `token K;` where `K` is not a token: a type that [`token!`](crate::token!) did not declare,
//! or something other than a type name. Also `Tagged<K>`, asked for or named, with such a `K`.
//!
//! ```compile_fail
//! use injectq::container;
//!
//! pub struct ApiKey(pub String);
//! container! { pub struct App { token ApiKey; } }
//! ```
//!
//! Fix: declare it with `token!`, which also makes it carry its value (or register a plain type
//! with `value`).
//!
//! ```
//! use injectq::{container, token};
//!
//! token! { pub ApiKey: String; }
//! container! { pub struct App { token ApiKey; } }
//!
//! let _app = App::new(ApiKey("sk_live".to_owned()));
//! ```
//!
//! # token-value
//!
//! A field or parameter marked `#[inject(token = K)]` whose type is not the value type that
//! `token!` declared for `K`.
//!
//! ```compile_fail
//! use injectq::{injectable, token};
//!
//! token! { pub Retries: u32; }
//!
//! #[injectable]
//! pub struct Client {
//!     #[inject(token = Retries)]
//!     retries: String,
//! }
//! ```
//!
//! Fix: the field has the token's value type.
//!
//! ```
//! use injectq::{injectable, token};
//!
//! token! { pub Retries: u32; }
//!
//! #[injectable]
//! pub struct Client {
//!     #[inject(token = Retries)]
//!     retries: u32,
//! }
//! ```
//!
//! # not-shared
//!
//! A field of a service whose type cannot be shared between tasks (`Rc`, `RefCell`, `Cell`):
//! every task that resolves a service shares it, so a service is `Send + Sync`.
//!
//! ```compile_fail
//! use std::cell::RefCell;
//! use injectq::injectable;
//!
//! #[injectable]
//! pub struct Counter {
//!     #[inject(default)]
//!     count: RefCell<u32>,
//! }
//! ```
//!
//! Fix: `Arc` for `Rc`, `Mutex` or `RwLock` for `RefCell`, an atomic for `Cell`.
//!
//! ```
//! use std::sync::Mutex;
//! use injectq::injectable;
//!
//! #[injectable]
//! pub struct Counter {
//!     #[inject(default)]
//!     count: Mutex<u32>,
//! }
//! ```
//!
//! # borrowed-service
//!
//! A service struct with a lifetime, an `#[inject]` parameter or a factory argument taken by
//! reference: services are shared across tasks and outlive any borrow, so they are `'static`
//! and handed out as `Arc<T>`.
//!
//! ```compile_fail
//! use injectq::injectable;
//!
//! #[injectable]
//! pub struct Greeter<'a> {
//!     name: &'a str,
//! }
//! ```
//!
//! Fix: hold an `Arc<T>` (or an owned value).
//!
//! ```
//! use std::sync::Arc;
//! use injectq::injectable;
//!
//! pub struct Name(pub String);
//!
//! #[injectable]
//! pub struct Greeter {
//!     name: Arc<Name>,
//! }
//! ```
//!
//! # hook-signature
//!
//! An init hook that is not `async fn(&mut self)` returning `()` or `Result<(), E>`, or a
//! dispose hook that is not `async fn(&T)` returning the same.
//!
//! ```compile_fail
//! use injectq::injectable;
//!
//! #[injectable(init = connect)]
//! pub struct Db;
//!
//! impl Db {
//!     fn connect(&mut self) {}
//! }
//! ```
//!
//! Fix: make it `async`.
//!
//! ```
//! use injectq::injectable;
//!
//! #[injectable(init = connect)]
//! pub struct Db;
//!
//! impl Db {
//!     async fn connect(&mut self) {}
//! }
//! ```
//!
//! # dispose-impl
//!
//! `#[injectable(dispose)]` on a type that does not implement [`AsyncDispose`](crate::AsyncDispose).
//!
//! ```compile_fail
//! use injectq::injectable;
//!
//! #[injectable(dispose)]
//! pub struct Pool;
//! ```
//!
//! Fix: implement it (or remove `dispose`).
//!
//! ```
//! use injectq::{AsyncDispose, BoxError, injectable};
//!
//! #[injectable(dispose)]
//! pub struct Pool;
//!
//! impl AsyncDispose for Pool {
//!     async fn dispose(&self) -> Result<(), BoxError> {
//!         Ok(())
//!     }
//! }
//! ```
//!
//! # factory-output
//!
//! A factory registered for a type it does not build; for a trait object, a factory that does
//! not return it in an `Arc` or a `Box` (a transient's, in a `Box`).
//!
//! ```compile_fail
//! use injectq::{container, factory};
//!
//! pub struct Pool;
//! pub struct Cache;
//! #[factory] fn open_pool() -> Pool { Pool }
//!
//! container! { pub struct App { singleton Cache = open_pool; } }
//! ```
//!
//! Fix: register the factory for what it builds.
//!
//! ```
//! use injectq::{container, factory};
//!
//! pub struct Pool;
//! #[factory] fn open_pool() -> Pool { Pool }
//!
//! container! { pub struct App { singleton Pool = open_pool; } }
//! ```
//!
//! # not-a-factory
//!
//! `Assisted<f>` where `f` is not a `#[factory]` with `#[arg]` parameters (the caller's part),
//! or a factory with `#[arg]` parameters registered as a service (the container cannot call it:
//! it does not have the caller's arguments).
//!
//! ```compile_fail
//! use injectq::{Assisted, container, factory, injectable};
//!
//! pub struct Conn;
//! #[factory] fn connect() -> Conn { Conn }
//!
//! #[injectable] pub struct Repo { conns: Assisted<connect> }
//! container! { pub struct App { singleton Repo; } }
//! ```
//!
//! Fix: mark what the caller gives with `#[arg]` (or register the factory: `transient Conn =
//! connect;`).
//!
//! ```
//! use injectq::{Assisted, container, factory, injectable};
//!
//! pub struct Conn;
//! #[factory] fn connect(#[arg] url: String) -> Conn { let _ = url; Conn }
//!
//! #[injectable] pub struct Repo { conns: Assisted<connect> }
//! container! { pub struct App { singleton Repo; } }
//! ```
//!
//! A registration `= f` whose `f` is a plain `fn` without `#[factory]` is reported by rustc, as
//! "expected type, found function `f`" (E0573) at the registration: `#[factory]` makes `f` a type
//! too, which is what the container names.
//!
//! # must-await
//!
//! `get::<T>()` (a resolve without awaiting) where `T`'s by-value graph holds something that
//! must be awaited every time a `T` is built: a transient with an init hook, a transient made by
//! an `async` factory, a collection. The message names it.
//!
//! ```compile_fail
//! use injectq::{container, factory};
//!
//! pub struct Conn;
//! #[factory] async fn connect() -> Conn { Conn }
//! container! { pub struct App { transient Conn = connect; } }
//!
//! let _ = App::new().get::<Conn>();
//! ```
//!
//! Fix: resolve it with `.await`; or register what must be awaited as a `singleton` (or
//! `scoped`) service, which `get` hands out once it is created (after `start()`, or a first
//! resolve).
//!
//! ```
//! use std::sync::Arc;
//! use injectq::{container, factory};
//!
//! pub struct Conn;
//! #[factory] async fn connect() -> Conn { Conn }
//! container! { pub struct App { singleton Conn = connect; } }
//!
//! # async fn run() {
//! let app = App::new();
//! app.start().await.unwrap();
//! let _conn: Arc<Conn> = app.get().unwrap();
//! # }
//! ```
//!
//! # scope-inputs
//!
//! A scope of a container with `input` registrations opened by a call that cannot give the
//! inputs: `create_scope()` or `with_scope(f)` (on the container, the `Container` trait or a
//! `ScopeFactory`), or a layer for containers without inputs (axum's `ScopeLayer::new` and
//! `with_container`, tonic's `ScopeLayer::new`). The message names the call that gives them.
//!
//! ```compile_fail
//! use injectq::container;
//!
//! pub struct Caller(pub String);
//! container! { pub struct App { input Caller; } }
//!
//! let _scope = App::new().create_scope();
//! ```
//!
//! Fix: `create_scope_with(inputs)`, with the input's value, or a tuple of them in declaration
//! order when there are several; under axum or tonic, `ScopeLayer::with_inputs(container, ..)`,
//! which takes them from each request.
//!
//! ```
//! use injectq::container;
//!
//! pub struct Caller(pub String);
//! pub struct RequestId(pub u64);
//! container! { pub struct App { input Caller; } }
//! container! { pub struct Jobs { input Caller; input RequestId; } }
//!
//! let _scope = App::new().create_scope_with(Caller("ada".into()));
//! let _scope = Jobs::new().create_scope_with((Caller("ada".into()), RequestId(7)));
//! ```
//!
//! # scope-opener
//!
//! A kind of scope opened from the wrong place. A kind declared at the container's top level is
//! opened from the container; a kind declared inside another (`scope MessageScope { .. }` inside
//! `scope ConnectionScope { .. }`) from a scope of that kind, which it lives inside. The message
//! names the right place: "`MessageScope` scopes are opened from `ConnectionScope`, not from
//! `App`".
//!
//! ```compile_fail
//! use injectq::container;
//!
//! pub struct Frame(pub u64);
//! container! { pub struct App { scope ConnectionScope { scope MessageScope { input Frame; } } } }
//!
//! let _message = App::new().create_message_scope_with(Frame(1));
//! ```
//!
//! Fix: call it on a scope of the outer kind. From a scope, its container is `scope.root()`, and
//! the scope a nested one was opened in is `scope.outer()`.
//!
//! ```
//! use injectq::container;
//!
//! pub struct Frame(pub u64);
//! container! { pub struct App { scope ConnectionScope { scope MessageScope { input Frame; } } } }
//!
//! let connection = App::new().create_connection_scope();
//! let _message = connection.create_message_scope_with(Frame(1));
//! ```
//!
//! # not-a-decorator
//!
//! A `decorate` line whose factory does not take the service it decorates: a decorator is a
//! `#[factory]` with one `#[inner]` parameter.
//!
//! ```compile_fail
//! use std::sync::Arc;
//! use injectq::{container, factory, injectable};
//!
//! #[injectable] pub struct Limits;
//! #[factory] fn defaults() -> Limits { Limits }
//! container! { pub struct App { singleton Limits; decorate Limits = defaults; } }
//! ```
//!
//! Fix: mark the parameter that takes the service with `#[inner]`.
//!
//! ```
//! use std::sync::Arc;
//! use injectq::{container, factory, injectable};
//!
//! #[injectable] pub struct Limits;
//! #[factory] fn logged(#[inner] limits: Arc<Limits>) -> Arc<Limits> { limits }
//! container! { pub struct App { singleton Limits; decorate Limits = logged; } }
//! ```
//!
//! A decorator registered as a service (`singleton Limits = logged;`) is refused too,
//! `[injectq::factory-usage]`: it needs the service it decorates.
//!
//! # decorator-type
//!
//! A decorator whose `#[inner]` parameter is not what its service's decorators are given: a
//! singleton's or a scoped service's take `Arc<T>`; a transient's take `T` by value (or
//! `Box<dyn Trait>`), since each value is handed over.
//!
//! ```compile_fail
//! use std::sync::Arc;
//! use injectq::{container, factory, injectable};
//!
//! #[injectable] pub struct Limits;
//! #[factory] fn logged(#[inner] limits: Arc<Limits>) -> Limits { Limits }
//! container! { pub struct App { transient Limits; decorate Limits = logged; } }
//! ```
//!
//! Fix: take it as the message says.
//!
//! ```
//! use injectq::{container, factory, injectable};
//!
//! #[injectable] pub struct Limits;
//! #[factory] fn logged(#[inner] limits: Limits) -> Limits { limits }
//! container! { pub struct App { transient Limits; decorate Limits = logged; } }
//! ```
//!
//! # not-hosted
//!
//! A registration `hosted Consumer;` whose type does not implement [`Hosted`](crate::Hosted): the
//! container cannot start or stop it.
//!
//! ```compile_fail
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Consumer;
//! container! { pub struct App { hosted Consumer; } }
//! ```
//!
//! Fix: implement `Hosted` (`start` begins its work and returns, `stop` ends it), or register it
//! as a plain `singleton` if it does not run on its own.
//!
//! ```
//! use injectq::{BoxError, Hosted, container, injectable};
//!
//! #[injectable] pub struct Consumer;
//! impl Hosted for Consumer {
//!     async fn start(&self) -> Result<(), BoxError> { Ok(()) }
//!     async fn stop(&self) -> Result<(), BoxError> { Ok(()) }
//! }
//! container! { pub struct App { hosted Consumer; } }
//! ```
//!
//! # not-a-health-check
//!
//! A registration with `, health` whose type does not implement
//! [`HealthCheck`](crate::HealthCheck): the container has no check to run.
//!
//! ```compile_fail
//! use injectq::{container, injectable};
//!
//! #[injectable] pub struct Pool;
//! container! { pub struct App { singleton Pool, health; } }
//! ```
//!
//! Fix: implement `HealthCheck` (`check` returns `Ok(())` when the service is healthy), or drop
//! `, health`.
//!
//! ```
//! use injectq::{BoxError, HealthCheck, container, injectable};
//!
//! #[injectable] pub struct Pool;
//! impl HealthCheck for Pool {
//!     async fn check(&self) -> Result<(), BoxError> { Ok(()) }
//! }
//! container! { pub struct App { singleton Pool, health; } }
//! ```
//!
//! # other-container
//!
//! A service registered in a container holds a `ScopeFactory` of another container: usually a
//! worker written for the production container, in a module that a test container imports too.
//!
//! ```compile_fail
//! use injectq::{ScopeFactory, container, injectable};
//!
//! #[injectable] pub struct Worker { scopes: ScopeFactory<App> }
//! container! { pub struct App { singleton Worker; } }
//! container! { pub struct TestApp { singleton Worker; } }
//! ```
//!
//! Fix: make the service generic over its container and register it as `Worker<Self>`: `Self` is
//! the container that declares (or imports) the registration.
//!
//! ```
//! use injectq::{Container, ScopeFactory, container, injectable};
//!
//! #[injectable] pub struct Worker<C: Container> { scopes: ScopeFactory<C> }
//! injectq::module! { pub workers { singleton crate::Worker<Self>; } }
//! container! { pub struct App { import workers; } }
//! container! { pub struct TestApp { import workers; } }
//! # fn main() {}
//! ```
//!
//! # injectable-usage
//!
//! `#[injectable]` on something other than a struct, an unknown option, or a field attribute
//! that injectq does not know.
//!
//! ```compile_fail
//! #[injectq::injectable(singleton)]
//! pub struct Cache;
//! ```
//!
//! Fix: the lifetime is said where the type is registered; `#[injectable]` takes `init = f`
//! and `dispose`.
//!
//! ```
//! #[injectq::injectable]
//! pub struct Cache;
//! ```
//!
//! # inject-attribute
//!
//! An `#[inject(..)]` on a field or parameter with an unknown option, an option given twice, or
//! options that do not go together (a `default` field is not injected, so it takes no `token`).
//!
//! ```compile_fail
//! #[injectq::injectable]
//! pub struct Client {
//!     #[inject(optional)]
//!     retries: u32,
//! }
//! ```
//!
//! Fix: the options are `default`, `default = expr`, `token = K` and `fallback = expr`.
//!
//! ```
//! #[injectq::injectable]
//! pub struct Client {
//!     #[inject(default = 3)]
//!     retries: u32,
//! }
//! ```
//!
//! # inject-usage
//!
//! `#[inject]` on something other than a free `async fn` with at least one parameter marked
//! `#[inject]`.
//!
//! ```compile_fail
//! use std::sync::Arc;
//! use injectq::inject;
//!
//! #[inject]
//! fn handler(#[inject] users: Arc<u32>) {}
//! ```
//!
//! Fix: make it `async`.
//!
//! ```
//! use std::sync::Arc;
//! use injectq::{container, inject, injectable};
//!
//! #[injectable] pub struct Users;
//! container! { pub struct App { singleton Users; } }
//!
//! #[inject]
//! async fn handler(#[inject] users: Arc<Users>) {}
//! ```
//!
//! # factory-usage
//!
//! `#[factory]` on something other than a free function that returns what it builds (by name):
//! a method, a generic function, one without a return type or returning `impl Trait`.
//!
//! ```compile_fail
//! pub struct Pool;
//!
//! #[injectq::factory]
//! fn open_pool() {}
//! ```
//!
//! Fix: return what it builds, `T` or `Result<T, E>`.
//!
//! ```
//! pub struct Pool;
//!
//! #[injectq::factory]
//! fn open_pool() -> Pool {
//!     Pool
//! }
//! ```
