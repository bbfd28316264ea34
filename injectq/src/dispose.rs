//! Async disposal: what a container or scope created is disposed in reverse creation order, every
//! disposer runs even when others fail or panic, and all failures come back together.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use futures_util::FutureExt;

use crate::BoxError;

/// A service that owns a resource (a connection, a pool, a background task) and releases it
/// asynchronously.
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
#[diagnostic::on_unimplemented(
    message = "`{Self}` is `#[injectable(dispose)]` but does not implement `AsyncDispose`",
    label = "disposed by the container, so it needs `AsyncDispose`",
    note = "implement it: `impl injectq::AsyncDispose for {Self} {{ async fn dispose(&self) -> Result<(), injectq::BoxError> {{ .. }} }}`"
)]
pub trait AsyncDispose: Send + Sync + 'static {
    /// Releases what the service owns. Called at most once, by the container that created it.
    fn dispose(&self) -> impl Future<Output = Result<(), BoxError>> + Send;
}

type DisposeFuture = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;

/// One disposal to run: a named, boxed async function.
pub struct Disposer {
    name: &'static str,
    run: Box<dyn FnOnce() -> DisposeFuture + Send>,
}

impl Disposer {
    /// A disposal named `name` (the service, or a description of a handler) that runs `run`.
    pub fn new<F, Fut, E>(name: &'static str, run: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Disposer { name, run: Box::new(move || Box::pin(async move { run().await.map_err(Into::into) })) }
    }

    /// Disposes `service` through its [`AsyncDispose`] impl.
    pub fn of<T: AsyncDispose>(name: &'static str, service: Arc<T>) -> Self {
        Disposer::new(name, move || async move { service.dispose().await })
    }

    /// Runs it; a panic is caught and reported like an error.
    pub(crate) async fn run(self) -> Result<(), DisposeFailure> {
        let name = self.name;
        match AssertUnwindSafe((self.run)()).catch_unwind().await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(DisposeFailure { service: name, cause: Cause::Error(error) }),
            Err(panic) => Err(DisposeFailure { service: name, cause: Cause::Panic(panic_message(&*panic)) }),
        }
    }
}

impl fmt::Debug for Disposer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Disposer").field("name", &self.name).finish_non_exhaustive()
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}

/// The disposers of one container or scope, in creation order.
///
/// Once disposal has begun the bag is closed: a service created afterwards (by a resolve racing
/// with `dispose()`) is not accepted, and the caller disposes it at once, so no disposer is lost.
pub struct DisposeBag {
    owner: &'static str,
    /// `state.closed`, readable without the lock: every resolve checks it
    closed: AtomicBool,
    state: Mutex<BagState>,
}

/// Something with a disposal of its own: a child container, which its parent disposes first.
pub trait Disposable: Send + Sync {
    /// Disposes it.
    fn dispose_boxed(&self) -> Pin<Box<dyn Future<Output = Result<(), DisposeError>> + Send + '_>>;
}

#[derive(Default)]
struct BagState {
    closed: bool,
    disposers: Vec<Disposer>,
    /// child containers, disposed before anything of this one
    children: Vec<std::sync::Weak<dyn Disposable>>,
}

impl BagState {
    /// Closes the bag and takes its disposers, newest first.
    fn close(&mut self, flag: &AtomicBool) -> Vec<Disposer> {
        self.closed = true;
        flag.store(true, Ordering::Release);
        let mut disposers = std::mem::take(&mut self.disposers);
        disposers.reverse();
        disposers
    }
}

impl DisposeBag {
    /// An open, empty bag for the container or scope named `owner`.
    pub fn new(owner: &'static str) -> Self {
        DisposeBag { owner, closed: AtomicBool::new(false), state: Mutex::new(BagState::default()) }
    }

    fn lock(&self) -> MutexGuard<'_, BagState> {
        // a disposer never runs under the lock, so a poisoned lock still holds a consistent list
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records `disposer`, or gives it back if the bag is closed.
    pub fn push(&self, disposer: Disposer) -> Result<(), Disposer> {
        let mut state = self.lock();
        if state.closed {
            return Err(disposer);
        }
        state.disposers.push(disposer);
        Ok(())
    }

    /// Has disposal begun? One atomic load.
    #[inline]
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// The container or scope this bag belongs to.
    #[inline]
    pub fn owner(&self) -> &'static str {
        self.owner
    }

    /// Closes the bag and takes its disposers, newest first.
    fn close(&self) -> Vec<Disposer> {
        self.lock().close(&self.closed)
    }

    /// Records a child container, disposed before everything in this bag.
    pub fn adopt(&self, child: std::sync::Weak<dyn Disposable>) {
        let mut state = self.lock();
        state.children.retain(|c| c.strong_count() > 0);
        state.children.push(child);
    }

    /// Closes the bag and runs every disposer, newest first, after disposing the child
    /// containers; each runs even when others fail or panic. A second call finds nothing to do.
    pub async fn dispose(&self) -> Result<(), DisposeError> {
        // one lock when there are no children (a scope never has any): they are taken and the bag
        // closed together; a bag with nothing to dispose is done without running anything
        let (children, closed_now) = {
            let mut state = self.lock();
            if state.children.is_empty() {
                (Vec::new(), Some(state.close(&self.closed)))
            } else {
                (std::mem::take(&mut state.children), None)
            }
        };
        if let Some(disposers) = closed_now {
            return if disposers.is_empty() { Ok(()) } else { run_all(self.owner, disposers).await };
        }
        let mut failures = Vec::new();
        for child in children.iter().rev().filter_map(std::sync::Weak::upgrade) {
            if let Err(error) = child.dispose_boxed().await {
                failures.extend(error.failures);
            }
        }
        if let Err(error) = run_all(self.owner, self.close()).await {
            failures.extend(error.failures);
        }
        if failures.is_empty() { Ok(()) } else { Err(DisposeError { owner: self.owner, failures }) }
    }
}

async fn run_all(owner: &'static str, disposers: Vec<Disposer>) -> Result<(), DisposeError> {
    let mut failures = Vec::new();
    for disposer in disposers {
        if let Err(failure) = disposer.run().await {
            failures.push(failure);
        }
    }
    if failures.is_empty() { Ok(()) } else { Err(DisposeError { owner, failures }) }
}

impl Drop for DisposeBag {
    /// A container or scope dropped without `dispose().await` (a cancelled request, a panicking
    /// handler) still gets its disposers run: on the current tokio runtime if there is one. If
    /// there is none, that is logged as an error with `tracing`, naming what was not disposed.
    fn drop(&mut self) {
        // no other handle exists: no lock to take
        let state = self.state.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.disposers.is_empty() {
            return;
        }
        let disposers = state.close(&self.closed);
        let owner = self.owner;
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                #[cfg(feature = "tracing")]
                tracing::warn!(
                    target: "injectq",
                    waiting = disposers.len(),
                    "`{owner}` was dropped without `dispose().await`: disposing it on the runtime"
                );
                runtime.spawn(async move {
                    if let Err(error) = run_all(owner, disposers).await {
                        tracing::error!(target: "injectq", %error, "disposal of a dropped `{owner}` failed");
                    }
                });
            }
            Err(_) => {
                let names: Vec<_> = disposers.iter().map(|d| d.name).collect();
                tracing::error!(
                    target: "injectq",
                    not_disposed = ?names,
                    "`{owner}` was dropped without `dispose().await`, outside a tokio runtime: its services were not disposed"
                );
            }
        }
    }
}

impl fmt::Debug for DisposeBag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("DisposeBag")
            .field("owner", &self.owner)
            .field("closed", &state.closed)
            .field("waiting", &state.disposers.len())
            .finish()
    }
}

/// Every disposer of a container or scope that failed or panicked, in the order they ran.
#[derive(Debug)]
pub struct DisposeError {
    owner: &'static str,
    failures: Vec<DisposeFailure>,
}

impl DisposeError {
    /// The failures, in the order the disposers ran (newest service first).
    pub fn failures(&self) -> &[DisposeFailure] {
        &self.failures
    }
}

impl fmt::Display for DisposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.failures.len();
        write!(f, "disposing `{}`: {n} disposer{} failed", self.owner, if n == 1 { "" } else { "s" })?;
        for failure in &self.failures {
            write!(f, "; {failure}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DisposeError {}

/// One disposer that failed or panicked.
#[derive(Debug)]
pub struct DisposeFailure {
    service: &'static str,
    cause: Cause,
}

#[derive(Debug)]
enum Cause {
    Error(BoxError),
    Panic(String),
}

impl DisposeFailure {
    /// The service (or handler) whose disposal failed.
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// Did the disposer panic (rather than return an error)?
    pub fn panicked(&self) -> bool {
        matches!(self.cause, Cause::Panic(_))
    }

    /// The error it returned, if it returned one.
    pub fn error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        match &self.cause {
            Cause::Error(e) => Some(&**e),
            Cause::Panic(_) => None,
        }
    }
}

impl fmt::Display for DisposeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Cause::Error(e) => write!(f, "`{}`: {e}", self.service),
            Cause::Panic(message) => write!(f, "`{}` panicked: {message}", self.service),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    fn recorder(
        log: &Arc<Mutex<Vec<&'static str>>>,
        name: &'static str,
        outcome: Result<(), &'static str>,
    ) -> Disposer {
        let log = Arc::clone(log);
        Disposer::new(name, move || async move {
            log.lock().unwrap().push(name);
            match outcome {
                Ok(()) => Ok(()),
                Err("panic") => panic!("{name} exploded"),
                Err(message) => Err(BoxError::from(message)),
            }
        })
    }

    #[tokio::test]
    async fn disposers_run_newest_first_and_every_failure_is_reported() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let bag = DisposeBag::new("Scope");
        for (name, outcome) in
            [("a", Ok(())), ("b", Err("b failed")), ("c", Err("panic")), ("d", Ok(())), ("e", Err("e failed"))]
        {
            bag.push(recorder(&log, name, outcome)).unwrap();
        }
        let error = bag.dispose().await.unwrap_err();
        assert_eq!(*log.lock().unwrap(), ["e", "d", "c", "b", "a"], "all ran, newest first");
        let failed: Vec<_> = error.failures().iter().map(|f| (f.service(), f.panicked())).collect();
        assert_eq!(failed, [("e", false), ("c", true), ("b", false)]);
        assert_eq!(
            error.to_string(),
            "disposing `Scope`: 3 disposers failed; `e`: e failed; `c` panicked: c exploded; `b`: b failed"
        );
        assert_eq!(error.failures()[0].error().unwrap().to_string(), "e failed");
    }

    #[tokio::test]
    async fn disposal_is_idempotent_and_closes_the_bag() {
        let runs = Arc::new(AtomicUsize::new(0));
        let bag = DisposeBag::new("App");
        let counter = Arc::clone(&runs);
        bag.push(Disposer::new("svc", move || async move {
            counter.fetch_add(1, SeqCst);
            Ok::<_, BoxError>(())
        }))
        .unwrap();
        bag.dispose().await.unwrap();
        bag.dispose().await.unwrap();
        assert_eq!(runs.load(SeqCst), 1);
        assert!(bag.is_closed());
        let late = Disposer::new("late", || async { Ok::<_, BoxError>(()) });
        assert!(bag.push(late).is_err(), "a closed bag gives the disposer back to run at once");
    }

    #[tokio::test]
    async fn a_dropped_bag_is_disposed_on_the_current_runtime() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let bag = DisposeBag::new("Scope");
        bag.push(Disposer::new("conn", move || async move {
            let _ = tx.send("closed");
            Ok::<_, BoxError>(())
        }))
        .unwrap();
        drop(bag);
        assert_eq!(rx.await.unwrap(), "closed");
    }

    /// Collects the fields of every event, as text.
    struct Capture(Arc<Mutex<Vec<String>>>);

    struct Fields(String);

    impl tracing::field::Visit for Fields {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
            self.0.push_str(&format!("{}={value:?} ", field.name()));
        }
    }

    impl tracing::Subscriber for Capture {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            let mut fields = Fields(format!("{} ", event.metadata().level()));
            event.record(&mut fields);
            self.0.lock().unwrap().push(fields.0);
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    #[test]
    fn a_bag_dropped_outside_a_runtime_says_so_and_names_what_was_not_disposed() {
        let events = Arc::new(Mutex::new(Vec::new()));
        tracing::subscriber::with_default(Capture(Arc::clone(&events)), || {
            let bag = DisposeBag::new("AppScope");
            bag.push(Disposer::new("Connection", || async { Ok::<_, BoxError>(()) })).unwrap();
            drop(bag);
        });
        let events = events.lock().unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(events[0].starts_with("ERROR "), "{}", events[0]);
        assert!(
            events[0].contains("`AppScope` was dropped without `dispose().await`, outside a tokio runtime"),
            "{}",
            events[0]
        );
        assert!(events[0].contains(r#"not_disposed=["Connection"]"#), "{}", events[0]);
    }
}
