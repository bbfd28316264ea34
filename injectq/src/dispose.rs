//! What disposal is made of: [`AsyncDispose`] (a service that releases a resource), [`Outcome`]
//! (how the scope it belonged to ended), one [`Disposer`] per instance, and the failures that
//! come back. The bag that holds the disposers and runs them is in `bag.rs`.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;

use crate::BoxError;

/// How the unit of work of a scope (a request, a job) or a container ended, as its disposers see
/// it: a transaction commits on [`Completed`](Outcome::Completed) and rolls back otherwise.
///
/// | ended by | outcome |
/// |---|---|
/// | `dispose()` | `Completed`, unless something worse was reported ([`set_outcome`](crate::Scope::set_outcome)) |
/// | `dispose_as(outcome)` | that outcome (or a worse one reported before) |
/// | `with_scope`: the body returned `Ok` / `Err` / panicked | `Completed` / `Failed` / `Panicked` |
/// | `ScopeLayer`: a response whose status counts as failed (5xx by default) | `Failed` |
/// | `ScopeLayer`: the client went away, or the response body was dropped before its end | `Cancelled` |
/// | the scope dropped without disposal (a cancelled task) | `Cancelled` (`Panicked` while a panic unwinds) |
/// | the container disposed while the scope was still open | `Cancelled` |
///
/// Outcomes are ordered from best to worst (`Completed < Failed < Cancelled < Panicked`); when
/// several are reported for one scope, disposal sees the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// The work finished as intended.
    Completed,
    /// The work returned an error (or a response that counts as failed).
    Failed,
    /// The work was cut short: its task or request was dropped before it finished.
    Cancelled,
    /// The work panicked.
    Panicked,
}

impl Outcome {
    /// Did the work finish as intended?
    pub fn is_completed(self) -> bool {
        self == Outcome::Completed
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Completed => "completed",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
            Outcome::Panicked => "panicked",
        })
    }
}

/// A service that owns a resource (a connection, a pool, a transaction, a background task) and
/// releases it asynchronously.
///
/// Mark the type `#[injectable(dispose)]` and implement this trait; the container that created
/// it disposes it when the container (singletons) or the scope (scoped services) is disposed, in
/// reverse creation order, so a service is disposed before what it depends on.
///
/// ```
/// use injectq::{AsyncDispose, BoxError, injectable};
///
/// #[injectable(dispose)]
/// pub struct Connection;
///
/// impl AsyncDispose for Connection {
///     async fn dispose(&self) -> Result<(), BoxError> {
///         // close it
///         Ok(())
///     }
/// }
/// ```
///
/// A service that must know how its scope ended implements
/// [`dispose_after`](AsyncDispose::dispose_after) as well: a unit of work commits when the
/// request completed and rolls back otherwise, with no `commit()` call in the handlers.
///
/// ```
/// use injectq::{AsyncDispose, BoxError, Outcome, injectable};
///
/// #[injectable(dispose)]
/// pub struct UnitOfWork;
///
/// impl UnitOfWork {
///     async fn commit(&self) -> Result<(), BoxError> { Ok(()) }
///     async fn roll_back(&self) -> Result<(), BoxError> { Ok(()) }
/// }
///
/// impl AsyncDispose for UnitOfWork {
///     /// Without an outcome, the safe choice.
///     async fn dispose(&self) -> Result<(), BoxError> {
///         self.roll_back().await
///     }
///
///     async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
///         if outcome.is_completed() { self.commit().await } else { self.roll_back().await }
///     }
/// }
/// ```
///
/// A disposer that returns an error, panics, or outlives its deadline
/// ([`dispose_timeout`](AsyncDispose::dispose_timeout), or the container's) is reported in the
/// [`DisposeError`] of the disposal, naming the service; the disposers after it still run.
#[diagnostic::on_unimplemented(
    message = "[injectq::dispose-impl] `{Self}` is `#[injectable(dispose)]` but does not implement `AsyncDispose`",
    label = "disposed by the container, so it needs `AsyncDispose`",
    note = "implement it: `impl injectq::AsyncDispose for {Self} {{ async fn dispose(&self) -> Result<(), injectq::BoxError> {{ .. }} }}`"
)]
pub trait AsyncDispose: Send + Sync + 'static {
    /// Releases what the service owns. Called at most once, by the container that created it,
    /// through [`dispose_after`](AsyncDispose::dispose_after).
    fn dispose(&self) -> impl Future<Output = Result<(), BoxError>> + Send;

    /// Releases what the service owns, knowing how its scope ended. What the container calls;
    /// by default, [`dispose`](AsyncDispose::dispose).
    fn dispose_after(&self, outcome: Outcome) -> impl Future<Output = Result<(), BoxError>> + Send {
        let _ = outcome;
        self.dispose()
    }

    /// How long its disposal may take before it is abandoned and reported as timed out; `None`
    /// (the default) uses the container's, if it has one
    /// (`app.set_dispose_timeout(limit)`).
    fn dispose_timeout(&self) -> Option<Duration> {
        None
    }
}

pub(crate) type DisposeFuture = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;

/// One disposal to run: a named async function that is told the [`Outcome`].
pub struct Disposer {
    name: &'static str,
    timeout: Option<Duration>,
    run: Runner,
    /// disposers to run after this one, in order, each on its own terms (a decorated service's:
    /// its decorators', outermost first, then its own)
    then: Vec<Disposer>,
}

/// What a disposer runs.
enum Runner {
    /// a function (a disposal handler, a hosted service's stop)
    Call(Box<dyn FnOnce(Outcome) -> DisposeFuture + Send>),
    /// a service's [`AsyncDispose`]: the handle is the service's own `Arc`, so that registering
    /// its disposal allocates nothing
    Service(Arc<dyn Disposable>),
}

/// [`AsyncDispose`] as an object: what [`Runner::Service`] calls.
trait Disposable: Any + Send + Sync {
    fn dispose_boxed(self: Arc<Self>, outcome: Outcome) -> DisposeFuture;
}

impl<T: AsyncDispose> Disposable for T {
    fn dispose_boxed(self: Arc<Self>, outcome: Outcome) -> DisposeFuture {
        Box::pin(async move { self.dispose_after(outcome).await })
    }
}

impl Disposer {
    /// A disposal named `name` (the service, or a description of a handler) that runs `run`.
    pub fn new<F, Fut, E>(name: &'static str, run: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Disposer::after(name, move |_| run())
    }

    /// A disposal named `name` that runs `run` with the outcome of its scope.
    pub fn after<F, Fut, E>(name: &'static str, run: F) -> Self
    where
        F: FnOnce(Outcome) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let run = move |outcome| -> DisposeFuture { Box::pin(run(outcome).map(|r| r.map_err(Into::into))) };
        Disposer { name, timeout: None, run: Runner::Call(Box::new(run)), then: Vec::new() }
    }

    /// Disposes `service` through its [`AsyncDispose`] impl.
    pub fn of<T: AsyncDispose>(name: &'static str, service: Arc<T>) -> Self {
        let timeout = service.dispose_timeout();
        Disposer { name, timeout, run: Runner::Service(service), then: Vec::new() }
    }

    /// The first of `disposers`, followed by the others in order, as one disposer (`None` for
    /// none). Each keeps its own deadline and its own failure: a bag runs them as its own.
    pub(crate) fn sequence(disposers: Vec<Disposer>) -> Option<Disposer> {
        let mut disposers = disposers.into_iter();
        let mut first = disposers.next()?;
        first.then.extend(disposers);
        Some(first)
    }

    /// The disposers that must run after this one, taken off it.
    pub(crate) fn take_then(&mut self) -> Vec<Disposer> {
        std::mem::take(&mut self.then)
    }

    /// Bounded by `timeout`, when it is set.
    pub(crate) fn with_timeout(self, timeout: Option<Duration>) -> Self {
        Disposer { timeout, ..self }
    }

    /// The service (or handler) it disposes.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// Starts it: its own deadline, or else `default`, bounds it; a panic or a missed deadline is
    /// reported like an error. The disposers that follow it (see [`sequence`](Self::sequence))
    /// run after it, each bounded alike, whatever happened to it; the first failure is returned.
    pub(crate) fn start(
        mut self,
        outcome: Outcome,
        default: Option<Duration>,
    ) -> Pin<Box<dyn Future<Output = Result<(), DisposeFailure>> + Send>> {
        let then = self.take_then();
        let first = self.begin(outcome, default);
        Box::pin(async move {
            let mut result = first.await;
            for next in then {
                let disposed = next.start(outcome, default).await;
                result = result.and(disposed);
            }
            result
        })
    }

    /// Begins this disposer alone (not what follows it): its own deadline, or else `default`,
    /// bounds it; a panic (also in the call that begins it) or a missed deadline is reported like
    /// an error. A bag's disposal polls what this returns in place, with no allocation of its own
    /// (a deadline's timer aside).
    pub(crate) fn begin(self, outcome: Outcome, default: Option<Duration>) -> Running {
        let Disposer { name, timeout, run, then: _ } = self;
        // a handle to the service, dropped after the disposal, on its own: if that is the last
        // one, the service and what it owns (an input, say) are dropped there, and a panic in
        // their `Drop` is reported as such, not as the disposer's
        let keep = match &run {
            Runner::Service(service) => Some(Arc::clone(service) as Arc<dyn Any + Send + Sync>),
            Runner::Call(_) => None,
        };
        let limit = timeout.or(default);
        // the call, and the deadline's timer (which panics without a runtime that has timers),
        // guarded as the disposal's first poll would be
        let begun = std::panic::catch_unwind(AssertUnwindSafe(move || {
            let future = match run {
                Runner::Call(run) => run(outcome),
                Runner::Service(service) => service.dispose_boxed(outcome),
            };
            match limit {
                None => Step::Open(future),
                Some(limit) => Step::Limited(Box::pin(tokio::time::timeout(limit, future)), limit),
            }
        }));
        let step = begun.unwrap_or_else(|panic| Step::Failed(Cause::Panic(panic_message(&*panic))));
        Running { name, step, keep }
    }
}

/// One disposer's run ([`Disposer::begin`]): its disposal, then its handle to the service
/// dropped on its own.
pub(crate) struct Running {
    name: &'static str,
    step: Step,
    /// the service's handle, dropped once the disposal is done (see [`Disposer::begin`])
    keep: Option<Arc<dyn Any + Send + Sync>>,
}

/// Where a [`Running`] disposal is.
enum Step {
    Open(DisposeFuture),
    Limited(Pin<Box<tokio::time::Timeout<DisposeFuture>>>, Duration),
    /// it panicked as it was called
    Failed(Cause),
    Done,
}

impl Running {
    /// The service (or handler) it disposes.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }
}

impl Future for Running {
    type Output = Result<(), DisposeFailure>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        let this = self.get_mut();
        let polled = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let done = match &mut this.step {
                Step::Open(future) => std::task::ready!(future.as_mut().poll(cx)).map_err(Cause::error),
                Step::Limited(future, limit) => match std::task::ready!(future.as_mut().poll(cx)) {
                    Ok(done) => done.map_err(Cause::error),
                    Err(_) => Err(Cause::TimedOut(*limit)),
                },
                Step::Failed(cause) => Err(cause.clone()),
                Step::Done => panic!("a disposal polled after it completed"),
            };
            // the future is dropped here, guarded, before the handle
            this.step = Step::Done;
            Poll::Ready(done)
        }));
        let disposed = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(done)) => done,
            Err(panic) => {
                this.step = Step::Done;
                Err(Cause::Panic(panic_message(&*panic)))
            }
        };
        let name = this.name;
        // the last handle to the service may go here: what it owns is dropped with it
        let keep = this.keep.take();
        Poll::Ready(match (std::panic::catch_unwind(AssertUnwindSafe(move || drop(keep))), disposed) {
            (Err(panic), Ok(())) => {
                Err(DisposeFailure { service: name, cause: Cause::DropPanic(panic_message(&*panic)) })
            }
            (_, disposed) => disposed.map_err(|cause| DisposeFailure { service: name, cause }),
        })
    }
}

impl fmt::Debug for Disposer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Disposer").field("name", &self.name).finish_non_exhaustive()
    }
}

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}

/// Every disposer of a container or scope (and of the scopes and child containers disposed with
/// it) that failed, panicked or timed out, in the order they ran.
#[derive(Debug, Clone)]
pub struct DisposeError {
    owner: &'static str,
    failures: Vec<DisposeFailure>,
}

impl DisposeError {
    pub(crate) fn new(owner: &'static str, failures: Vec<DisposeFailure>) -> Self {
        DisposeError { owner, failures }
    }

    /// `first` (the hosted services' stops), then what `then` failed with, as one result.
    pub(crate) fn merge(
        owner: &'static str,
        first: Vec<DisposeFailure>,
        then: Result<(), DisposeError>,
    ) -> Result<(), DisposeError> {
        match (first.is_empty(), then) {
            (true, then) => then,
            (false, Ok(())) => Err(DisposeError::new(owner, first)),
            (false, Err(error)) => {
                let mut failures = first;
                failures.extend_from_slice(error.failures());
                Err(DisposeError::new(error.owner, failures))
            }
        }
    }

    /// The failures, in the order the disposers ran (newest service first; the scopes and child
    /// containers disposed with a container come before its own).
    pub fn failures(&self) -> &[DisposeFailure] {
        &self.failures
    }

    /// The container or scope whose disposal this is.
    pub fn owner(&self) -> &'static str {
        self.owner
    }
}

impl fmt::Display for DisposeError {
    /// `disposing `App`: 1 disposer failed; ...`, counting the disposers that failed, panicked or
    /// timed out; scopes still open at a shutdown's deadline are said apart, not counted as
    /// disposers: `disposing `App`: 31 `AppScope`s were still open at the shutdown deadline`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.failures.iter().filter(|failure| failure.scopes_still_open().is_none()).count();
        write!(f, "disposing `{}`", self.owner)?;
        let mut separator = ": ";
        if n > 0 {
            write!(f, ": {n} disposer{} failed", if n == 1 { "" } else { "s" })?;
            separator = "; ";
        }
        for failure in &self.failures {
            write!(f, "{separator}{failure}")?;
            separator = "; ";
        }
        Ok(())
    }
}

impl std::error::Error for DisposeError {}

/// A failed disposal as an [`Error`](crate::Error) of kind [`Dispose`](crate::ErrorKind::Dispose),
/// so that `?` works in a function returning `injectq::Result` that both resolves and disposes.
/// Its `Display` is the disposal error's; the disposal error is its `source()`.
impl From<DisposeError> for crate::Error {
    fn from(e: DisposeError) -> Self {
        crate::Error::disposal(e.owner(), Box::new(e))
    }
}

/// One disposer that failed, panicked or timed out; or, from
/// [`shutdown`](crate::Container::shutdown), scopes still open at its deadline.
#[derive(Debug, Clone)]
pub struct DisposeFailure {
    service: &'static str,
    cause: Cause,
}

#[derive(Debug, Clone)]
pub(crate) enum Cause {
    Error(Arc<dyn std::error::Error + Send + Sync + 'static>),
    Panic(String),
    /// disposed, then dropping the service (or what it owned) panicked
    DropPanic(String),
    TimedOut(Duration),
    StillOpen(usize),
    Reentered,
}

impl Cause {
    pub(crate) fn error(e: BoxError) -> Self {
        Cause::Error(Arc::from(e))
    }
}

impl DisposeFailure {
    #[cfg(test)]
    pub(crate) fn new(service: &'static str, cause: Cause) -> Self {
        DisposeFailure { service, cause }
    }

    /// `count` scopes of `scope` were still open when shutdown's deadline passed.
    pub(crate) fn still_open(scope: &'static str, count: usize) -> Self {
        DisposeFailure { service: scope, cause: Cause::StillOpen(count) }
    }

    /// `dispose()` of `owner` was called from one of its own disposers.
    pub(crate) fn reentered(owner: &'static str) -> Self {
        DisposeFailure { service: owner, cause: Cause::Reentered }
    }

    /// The service (or handler) whose disposal failed; for scopes still open at a shutdown's
    /// deadline, the scope type.
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// Did the disposer panic (rather than return an error)?
    pub fn panicked(&self) -> bool {
        matches!(self.cause, Cause::Panic(_))
    }

    /// Was the disposer abandoned at its deadline?
    pub fn timed_out(&self) -> bool {
        matches!(self.cause, Cause::TimedOut(_))
    }

    /// The number of scopes still open when [`shutdown`](crate::Container::shutdown)'s deadline
    /// passed (they were disposed as [`Cancelled`](Outcome::Cancelled)); `None` for a disposer.
    pub fn scopes_still_open(&self) -> Option<usize> {
        match self.cause {
            Cause::StillOpen(n) => Some(n),
            _ => None,
        }
    }

    /// The error it returned, if it returned one.
    pub fn error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        match &self.cause {
            Cause::Error(e) => Some(&**e),
            _ => None,
        }
    }
}

impl fmt::Display for DisposeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let service = self.service;
        match &self.cause {
            Cause::Error(e) => write!(f, "`{service}`: {e}"),
            Cause::Panic(message) => write!(f, "`{service}` panicked: {message}"),
            Cause::DropPanic(message) => write!(
                f,
                "`{service}` was disposed, then dropping it (or something it owned, an input say) panicked: {message}"
            ),
            Cause::TimedOut(limit) => write!(f, "`{service}` did not finish within {limit:?} and was abandoned"),
            Cause::StillOpen(1) => write!(f, "1 `{service}` was still open at the shutdown deadline"),
            Cause::StillOpen(n) => write!(f, "{n} `{service}`s were still open at the shutdown deadline"),
            Cause::Reentered => write!(
                f,
                "`{service}`: `dispose()` was called from one of its own disposers, which the disposal is waiting for"
            ),
        }
    }
}
