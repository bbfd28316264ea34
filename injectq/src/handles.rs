//! What every declared container and scope can do, as traits: integrations (the axum layer, your
//! own middleware, a worker) are generic over them. And [`ScopeFactory`], the handle through
//! which a background service opens scopes of its own container.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::lazy::Handle;
use crate::{DisposeError, Error, Outcome, Result};

/// A root container declared with `container!`.
pub trait Container: Clone + Send + Sync + 'static {
    /// Its scope type.
    type Scope: Scope<Root = Self, Outer = Self, Inputs = Self::Inputs>;

    /// What a scope is opened with: `()` when the container has no `input` registration, the
    /// input's type when it has one (`RequestId`), and a tuple of them in declaration order when
    /// it has several (`(RequestId, Tenant)`); a trait object as `Arc<dyn Trait>`.
    type Inputs: Send + 'static;

    /// Opens a scope (a request, a job, a unit of work) with its inputs: the same call, with the
    /// same inputs, as the container's own `create_scope_with`, [`ScopeFactory::create_scope_with`]
    /// and the axum and tonic layers' `with_inputs`. While the container shuts down, the scope is
    /// refused: resolving from it fails with [`ErrorKind::ShuttingDown`](crate::ErrorKind).
    fn create_scope_with(&self, inputs: Self::Inputs) -> Self::Scope;

    /// Opens a scope of a container that declares no `input`; one that does is refused at
    /// compile time (see [`NoInputs`]) and opens its scopes with
    /// [`create_scope_with`](Container::create_scope_with).
    fn create_scope(&self) -> Self::Scope
    where
        Self::Inputs: NoInputs,
    {
        self.create_scope_with(Default::default())
    }

    /// Resolves a `T` from the root, as the container's own `resolve` does: for code generic over
    /// the container (`C: AppServices`, see `#[provides(..)]` on `container!`).
    fn resolve<T>(&self) -> impl Future<Output = Result<T>> + Send
    where
        Self: crate::Provide<T>,
        T: Send;

    /// Resolves a `T` without awaiting, as the container's own `get` does (see
    /// [`GetNow`](crate::GetNow)): never a wait; a shared service that must be awaited and is not
    /// created yet is an error of kind [`NotReady`](crate::ErrorKind::NotReady).
    fn get<T>(&self) -> Result<T>
    where
        Self: crate::Provide<T> + crate::GetNow<T>;

    /// Creates every singleton and starts every hosted service, as the container's own `start`
    /// does.
    fn start(&self) -> impl Future<Output = Result<crate::StartReport>> + Send;

    /// Whether [`start`](Container::start) has started everything and no shutdown has begun, as
    /// the container's own `is_ready` says.
    fn is_ready(&self) -> bool;

    /// The container's health (its phase, and each `, health` check), as the container's own
    /// `health` says.
    fn health(&self) -> impl Future<Output = crate::HealthReport> + Send;

    /// Its phases: what the probes integrations watch (written by `container!`).
    #[doc(hidden)]
    fn phases(&self) -> &crate::hosting::Phases;

    /// Disposes what the container created: first its scopes that are still open (as
    /// [`Cancelled`](Outcome::Cancelled)) and its child containers, then its singletons, newest
    /// first. Every call returns the outcome of the one disposal.
    fn dispose(&self) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send + 'static;

    /// Shuts down gracefully: refuses new scopes, waits until the scopes in flight have ended
    /// (disposed, or dropped and disposed in the background) or `deadline` has passed, then
    /// disposes everything as [`dispose`](Container::dispose) does. The error lists every
    /// disposer that failed or timed out, and the number of scopes still open at the deadline.
    fn shutdown(&self, deadline: Duration) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send;
}

/// The inputs of a container whose scopes take none: `()`, and nothing else. `create_scope()` (on
/// the container, [`Container`] and [`ScopeFactory`]) and the container's `with_scope(f)` ask
/// for it, so that a container with `input` registrations, which cannot open a scope without its
/// inputs, is refused at compile time with a message that names the call that gives them:
/// `create_scope_with(inputs)`.
#[diagnostic::on_unimplemented(
    message = "[injectq::scope-inputs] this container's scopes take inputs, `{Self}`, and this call opens one without them",
    label = "opened without its inputs",
    note = "give them with the call's `_with` form (`create_scope_with(inputs)`, `with_scope_with(inputs, f)`, and so for each kind of scope: `create_job_scope_with(inputs)`), with the input's value, or a tuple of them in declaration order when there are several"
)]
pub trait NoInputs: Default {}

impl NoInputs for () {}

/// Never implemented: a kind of scope `Self` opened from `X`, where it is not opened. Each kind is
/// opened from one place, `Where`: the container, or (a kind nested in another) a scope of the kind
/// it is declared in. `container!` writes its openers there, and hidden ones everywhere else
/// whose bound this is, so that the mistake is reported at the call with where to call it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::scope-opener] `{Self}` scopes are opened from `{Where}`, not from `{X}`",
    label = "opened from the wrong place",
    note = "each kind of scope is opened from one place: a kind declared at the container's top level from the container, a kind declared inside another (`scope Message {{ .. }}` inside `scope Connection {{ .. }}`) from a scope of that kind",
    note = "call it on the `{Where}` at hand: a scope's container is `scope.root()`, and the scope a nested one was opened in is `scope.outer()`"
)]
pub trait OpenedFrom<X, Where> {}

/// A scope of a container.
pub trait Scope: Clone + Send + Sync + 'static {
    /// The container it belongs to. A container may declare several kinds of scope (`scope
    /// JobScope { .. }`): its own, `Container::Scope`, and each of those.
    type Root: Container;

    /// What a scope of this kind is opened with, as [`Container::Inputs`] says for the
    /// container's own kind: `()`, the one input's type, or a tuple of them.
    type Inputs: Send + 'static;

    /// What a scope of this kind is opened from: the container ([`Root`](Scope::Root)), or, for a
    /// kind nested in another (`scope MessageScope { .. }` inside `scope ConnectionScope { .. }`),
    /// a scope of the outer kind.
    type Outer;

    /// Opens a scope of this kind from `outer`, with its inputs: what
    /// `outer.create_scope_with(..)` (or `create_job_scope_with(..)`, for a `scope JobScope`
    /// kind) does. Written by `container!`; [`ScopeFactory`] calls it.
    #[doc(hidden)]
    fn open(outer: &Self::Outer, inputs: Self::Inputs) -> Self;

    /// How many handles to this scope are alive (this one, its clones, the scopes opened inside
    /// it): 1 when only the caller holds it. Written by `container!`; [`Tenants`](crate::Tenants)
    /// evicts a tenant's scope only when its cache is the one holder.
    #[doc(hidden)]
    fn holders(&self) -> usize;

    /// Lets go of this scope on purpose: once its last handle is dropped, it is disposed in the
    /// background as `Completed` (not as a scope dropped by mistake, `Cancelled`, with a warning).
    #[doc(hidden)]
    fn release(&self);

    /// Resolves a `T` from the scope, as the scope's own `resolve` does: for code generic over the
    /// container.
    fn resolve<T>(&self) -> impl Future<Output = Result<T>> + Send
    where
        Self: crate::Provide<T>,
        T: Send;

    /// Resolves a `T` from the scope without awaiting, as the scope's own `get` does (see
    /// [`Container::get`]).
    fn get<T>(&self) -> Result<T>
    where
        Self: crate::Provide<T> + crate::GetNow<T>;

    /// Runs `f` with this scope entered as the task's current scope. The future does not borrow
    /// the scope, so it can be spawned: `tokio::spawn(scope.enter(work))`.
    fn enter<F>(&self, f: F) -> impl Future<Output = F::Output> + Send + use<Self, F>
    where
        F: Future + Send,
        F::Output: Send;

    /// What entering this scope makes current (its state): what a web layer enters for its
    /// inner service's `call` and future, with no future of its own around them. Written by
    /// `container!`.
    #[doc(hidden)]
    fn as_current(&self) -> std::sync::Arc<dyn std::any::Any + Send + Sync>;

    /// Disposes what the scope created, newest first, as [`Completed`](Outcome::Completed) unless
    /// something worse was reported with [`set_outcome`](Scope::set_outcome). Every call returns
    /// the outcome of the one disposal; dropping the future does not stop it.
    fn dispose(&self) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send + 'static;

    /// [`dispose`](Scope::dispose), reporting `outcome` first.
    fn dispose_as(
        &self,
        outcome: Outcome,
    ) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send + 'static;

    /// Reports how the scope's work went: its disposers see the worst outcome reported (a handler
    /// that answers `200` but must not commit reports [`Failed`](Outcome::Failed)).
    fn set_outcome(&self, outcome: Outcome);

    /// Reports `outcome` and disposes the scope in the background, on the current tokio runtime,
    /// for code that notices the end of a scope where it cannot await (a `Drop`). The disposal is
    /// polled once here: disposers that do not wait are done when this returns, and what waits
    /// goes on in a task. The container's [`shutdown`](Container::shutdown) waits for it; a
    /// failure is logged with `tracing`.
    fn dispose_in_background(&self, outcome: Outcome);
}

/// A handle to container `C` that opens scopes and does not keep `C` alive: what a singleton that
/// works in the background (a queue consumer, a scheduler) injects to handle each job in a scope
/// of its own, like .NET's `IServiceScopeFactory`.
///
/// ```
/// use std::sync::Arc;
/// use injectq::{ScopeFactory, container, injectable};
///
/// #[injectable]
/// pub struct Job;
///
/// #[injectable]
/// pub struct Worker {
///     scopes: ScopeFactory<App>,
/// }
///
/// container! {
///     pub struct App {
///         singleton Worker;
///         scoped Job;
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> injectq::Result<()> {
/// let app = App::new();
/// let worker = app.resolve::<Arc<Worker>>().await?;
/// let scope = worker.scopes.create_scope()?; // one job
/// let _job = scope.resolve::<Arc<Job>>().await?;
/// # Ok(())
/// # }
/// ```
///
/// It is not an edge of the compile-time graph (a singleton may hold it). It holds a weak
/// handle: once the container is dropped, [`create_scope`](ScopeFactory::create_scope) returns an
/// error, and so it does once the container is disposed or shutting down, which is how a worker
/// learns to stop.
///
/// A container that declares other kinds of scope (`scope JobScope { .. }`) opens them through a
/// `ScopeFactory<App, JobScope>`: the second parameter is the kind, the container's own by
/// default. A kind nested in another is opened from a scope of that kind, not through a factory.
pub struct ScopeFactory<C: Container, S = <C as Container>::Scope> {
    root: Arc<dyn WeakRoot<C>>,
    name: &'static str,
    kind: PhantomData<fn() -> S>,
}

/// The container behind a [`ScopeFactory`], held weakly: the factory's type names only the public
/// [`Container`], so that code generic over a container (`C: AppServices`) can hold one.
trait WeakRoot<C>: Send + Sync {
    /// The container, if it is still there.
    fn upgrade(&self) -> Option<C>;
    /// `Err` once the container is disposed or shutting down.
    fn accepts_scopes(&self, container: &C) -> Result<()>;
    /// Runs `hook` once, when the container's shutdown or disposal begins.
    fn on_close(&self, container: &C, hook: crate::bag::CloseHook);
}

struct Weakly<C: Handle>(Weak<C::State>);

impl<C: Handle> WeakRoot<C> for Weakly<C> {
    fn upgrade(&self) -> Option<C> {
        self.0.upgrade().map(C::from_state)
    }

    fn accepts_scopes(&self, container: &C) -> Result<()> {
        container.bag().accepts_scopes()
    }

    fn on_close(&self, container: &C, hook: crate::bag::CloseHook) {
        container.bag().on_close(hook);
    }
}

impl<C: Container, S: Scope<Root = C, Outer = C>> ScopeFactory<C, S> {
    /// A factory of `container`'s scopes of kind `S` (written by `container!`).
    #[doc(hidden)]
    pub fn new(container: &C) -> Self
    where
        C: Handle,
    {
        ScopeFactory {
            root: Arc::new(Weakly::<C>(Arc::downgrade(container.state()))),
            name: C::NAME,
            kind: PhantomData,
        }
    }

    /// Opens a scope of the container, or fails if the container is gone
    /// ([`ContainerDropped`](crate::ErrorKind::ContainerDropped)), disposed
    /// ([`Disposed`](crate::ErrorKind::Disposed)) or shutting down
    /// ([`ShuttingDown`](crate::ErrorKind::ShuttingDown)).
    pub fn create_scope(&self) -> Result<S>
    where
        S::Inputs: NoInputs,
    {
        self.create_scope_with(Default::default())
    }

    /// Opens a scope whose kind declares `input` registrations, with its inputs (a job's
    /// payload, say): the same as [`create_scope`](ScopeFactory::create_scope) otherwise.
    pub fn create_scope_with(&self, inputs: S::Inputs) -> Result<S> {
        let container = self.container()?;
        self.root.accepts_scopes(&container)?;
        Ok(S::open(&container, inputs))
    }

    /// The container, if it is still there.
    pub fn container(&self) -> Result<C> {
        self.root.upgrade().ok_or_else(|| Error::container_dropped(self.name))
    }

    /// Why no scope can be opened: the container is gone, disposed or shutting down.
    #[cold]
    pub(crate) fn refusal(&self) -> Error {
        let error = match self.container() {
            Ok(container) => self.root.accepts_scopes(&container).err(),
            Err(gone) => Some(gone),
        };
        error.unwrap_or_else(|| Error::shutting_down(self.name))
    }

    /// Runs `hook` once, when the container's shutdown or disposal begins (at once if it has
    /// begun, or if the container is gone).
    pub(crate) fn on_close(&self, hook: crate::bag::CloseHook) {
        match self.root.upgrade() {
            Some(container) => self.root.on_close(&container, hook),
            None => hook(),
        }
    }
}

impl<C: Container, S> Clone for ScopeFactory<C, S> {
    fn clone(&self) -> Self {
        ScopeFactory { root: Arc::clone(&self.root), name: self.name, kind: PhantomData }
    }
}

impl<C: Container, S> fmt::Debug for ScopeFactory<C, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeFactory")
            .field("container", &self.name)
            .field("scope", &std::any::type_name::<S>())
            .finish_non_exhaustive()
    }
}
