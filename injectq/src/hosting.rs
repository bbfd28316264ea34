//! Hosted services: what runs for a container's life (a consumer, a scheduler, a listener),
//! started in dependency order by `start()` and stopped in reverse by `shutdown()` and `dispose()`,
//! before anything they depend on is disposed; and the container's readiness.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::dispose::{DisposeFailure, Disposer, Outcome};
use crate::future::{BoxFuture, until};
use crate::graph::{NO_NODE, Node};
use crate::{BoxError, Error, Provide, Result};

/// A service that runs for its container's life: a queue consumer, a scheduler, a listener.
///
/// Declared with `hosted Consumer;` (a singleton that is also hosted), it is started by the
/// container's `start()`, after every singleton is created and after the hosted services it
/// depends on have started; independent ones start concurrently. `shutdown()` and `dispose()` stop
/// it first, before anything it depends on is disposed: in reverse order, a service after those
/// that depend on it, independent ones concurrently, each within its
/// [`stop_timeout`](Self::stop_timeout) (or the shutdown's deadline). A shutdown that begins
/// while `start()` runs waits for it (within its deadline), so that what it started stops in
/// order with the rest; a service whose start ends later still is stopped by the start itself.
///
/// ```
/// use std::sync::Arc;
/// use injectq::{BoxError, Hosted, container, injectable};
/// use tokio::sync::watch;
///
/// #[injectable]
/// pub struct Queue;
///
/// /// Consumes the queue on a task of its own, from `start` to `stop`.
/// #[injectable]
/// pub struct Consumer {
///     queue: Arc<Queue>,
///     #[inject(default)]
///     running: std::sync::Mutex<Option<(watch::Sender<bool>, tokio::task::JoinHandle<()>)>>,
/// }
///
/// impl Hosted for Consumer {
///     async fn start(&self) -> Result<(), BoxError> {
///         let (stop, mut stopped) = watch::channel(false);
///         let work = tokio::spawn(async move {
///             // consume until told to stop
///             let _ = stopped.wait_for(|stop| *stop).await;
///         });
///         *self.running.lock().unwrap() = Some((stop, work));
///         Ok(())
///     }
///
///     async fn stop(&self) -> Result<(), BoxError> {
///         let running = self.running.lock().unwrap().take();
///         if let Some((stop, work)) = running {
///             stop.send_replace(true);
///             work.await?;
///         }
///         Ok(())
///     }
/// }
///
/// container! {
///     pub struct App {
///         singleton Queue;
///         hosted Consumer;
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), BoxError> {
/// let app = App::new();
/// let report = app.start().await?;
/// assert!(app.is_ready());
/// assert_eq!(report.services()[0].name(), "Consumer");
/// app.shutdown(std::time::Duration::from_secs(5)).await?; // stops it, then disposes the rest
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "[injectq::not-hosted] `{Self}` is declared `hosted` but does not implement `injectq::Hosted`",
    label = "declared `hosted` here",
    note = "implement `injectq::Hosted` for it: `start` begins its work (spawns its loop, binds its listener) and returns, `stop` ends it and waits for it",
    note = "or register it as a plain `singleton` if it does not run on its own"
)]
pub trait Hosted: Send + Sync + 'static {
    /// Begins the service's work and returns once it has begun (spawn its loop; do not run it
    /// here). An error fails the container's `start()`, which stops what had started.
    fn start(&self) -> impl Future<Output = std::result::Result<(), BoxError>> + Send;

    /// Ends the service's work and waits for it to finish. Bounded by
    /// [`stop_timeout`](Self::stop_timeout), or by the shutdown's deadline; past it, the stop is
    /// abandoned and reported. An error or a panic is reported by `shutdown()` (or `dispose()`),
    /// and the other services still stop.
    fn stop(&self) -> impl Future<Output = std::result::Result<(), BoxError>> + Send;

    /// How long [`stop`](Self::stop) may take; `None` (the default): the shutdown's deadline, or
    /// for `dispose()` the container's dispose timeout, if set.
    fn stop_timeout(&self) -> Option<Duration> {
        None
    }
}

/// A hosted service as the runtime drives it (object-safe).
trait Running: Send + Sync {
    fn start(&self) -> BoxFuture<'_, std::result::Result<(), BoxError>>;
    /// Its stop, as a disposal: named, bounded by its own deadline, panics caught.
    fn stopper(self: Arc<Self>, name: &'static str) -> Disposer;
}

impl<T: Hosted> Running for T {
    fn start(&self) -> BoxFuture<'_, std::result::Result<(), BoxError>> {
        Box::pin(Hosted::start(self))
    }

    fn stopper(self: Arc<Self>, name: &'static str) -> Disposer {
        let timeout = self.stop_timeout();
        Disposer::new(name, move || async move { Hosted::stop(&*self).await }).with_timeout(timeout)
    }
}

/// One hosted service of a container, resolved: written by `container!` for each `hosted`
/// registration, through [`hosted`].
#[doc(hidden)]
pub struct HostedService {
    name: &'static str,
    node: usize,
    service: Arc<dyn Running>,
}

/// Resolves the hosted service `T` (its graph id `node`) from `c`, for [`start_hosted`].
#[doc(hidden)]
pub fn hosted<'c, T, C>(c: &'c C, name: &'static str, node: usize) -> BoxFuture<'c, Result<HostedService>>
where
    T: Hosted,
    C: Provide<Arc<T>> + Sync,
{
    Box::pin(async move {
        let service: Arc<T> = c.provide().await?;
        Ok(HostedService { name, node, service })
    })
}

/// How long one hosted service took to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceStart {
    name: &'static str,
    took: Duration,
    after: Vec<&'static str>,
}

impl ServiceStart {
    /// The service, as registered.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How long its `start` took.
    pub fn took(&self) -> Duration {
        self.took
    }

    /// The hosted services it waited for (those it depends on).
    pub fn after(&self) -> &[&'static str] {
        &self.after
    }
}

/// What a container's `start()` did: how long creating its singletons and starting its hosted
/// services took, and each hosted service's start, slowest first. `Display` prints it as a few
/// lines, for a log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartReport {
    container: &'static str,
    singletons: Duration,
    total: Duration,
    services: Vec<ServiceStart>,
}

impl StartReport {
    /// The hosted services, slowest start first.
    pub fn services(&self) -> &[ServiceStart] {
        &self.services
    }

    /// How long creating every singleton took (before any hosted service started).
    pub fn singletons(&self) -> Duration {
        self.singletons
    }

    /// How long the whole `start()` took.
    pub fn total(&self) -> Duration {
        self.total
    }
}

impl fmt::Display for StartReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` started in {:?}: singletons created in {:?}, {} hosted service(s)",
            self.container,
            self.total,
            self.singletons,
            self.services.len()
        )?;
        for service in &self.services {
            write!(f, "\n  {:<24} {:?}", service.name, service.took)?;
            if !service.after.is_empty() {
                write!(f, " (after {})", service.after.join(", "))?;
            }
        }
        Ok(())
    }
}

/// A root container's phases: its hosted services (started, and in which order), and whether it
/// is ready. Held in the root's state.
#[doc(hidden)]
#[derive(Default)]
pub struct Phases {
    state: Mutex<PhaseState>,
    /// set once `start()` has started everything; unset for good when a shutdown begins
    ready: AtomicBool,
    /// a shutdown or disposal began: nothing starts any more
    stopping: AtomicBool,
    /// wakes a `start()` waiting for another one, and those waiting for readiness
    changed: Notify,
}

#[derive(Default)]
struct PhaseState {
    /// a `start()` is running
    starting: bool,
    /// the services started and not stopped yet, in start order, each with the indices (in this
    /// list) of those it depends on
    started: Vec<(HostedService, Vec<usize>)>,
    /// the last successful start's report
    report: Option<StartReport>,
    /// a shutdown took the list: a service that starts afterwards is stopped by its start
    taken: bool,
}

impl Phases {
    fn lock(&self) -> MutexGuard<'_, PhaseState> {
        // no code of ours panics while it holds the lock; user code never runs under it
        crate::sync::lock(&self.state)
    }

    /// Has `start()` started everything, with no shutdown begun?
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst) && !self.stopping.load(Ordering::SeqCst)
    }

    /// Has a shutdown or disposal begun?
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// A shutdown or disposal began: not ready any more, for good.
    pub fn mark_stopping(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.changed.notify_waiters();
    }

    /// Waits until the container becomes ready or begins to stop (at once if it is stopping).
    pub async fn changed(&self) {
        let changed = self.changed.notified();
        tokio::pin!(changed);
        changed.as_mut().enable();
        if self.is_stopping() {
            return;
        }
        changed.await;
    }

    /// Waits until the container is ready; `false` if a shutdown began first.
    pub async fn ready(&self) -> bool {
        until(&self.changed, || match () {
            _ if self.is_stopping() => Some(false),
            _ if self.is_ready() => Some(true),
            _ => None,
        })
        .await
    }
}

/// Resets a `start()` that ends (or is dropped) without having started everything: another may
/// run; the services it did start stay on the list, so that a shutdown stops them.
struct Starting<'a>(&'a Phases);

impl Drop for Starting<'_> {
    fn drop(&mut self) {
        self.0.lock().starting = false;
        self.0.changed.notify_waiters();
    }
}

/// `start()`'s second half: starts the hosted services `services` of the container named
/// `container`, whose graph is `nodes`, each after the hosted services it depends on (directly
/// or through other services), independent ones concurrently. `singletons` is how long creating
/// the singletons took. A failure stops those that started (in reverse), and is the result. A
/// second `start()` while one runs waits for it; once started, `start()` returns the same report.
#[doc(hidden)]
pub async fn start_hosted(
    phases: &Phases,
    graph: crate::Graph,
    began: Instant,
    services: Vec<BoxFuture<'_, Result<HostedService>>>,
) -> Result<StartReport> {
    let (container, nodes) = (graph.container(), graph.nodes());
    // one start at a time: this one, or the result of another that ended first
    let turn = until(&phases.changed, || {
        let mut state = phases.lock();
        match &state.report {
            _ if phases.is_stopping() => Some(Err(Err(Error::shutting_down(container)))),
            Some(report) => Some(Err(Ok(report.clone()))),
            None if state.starting => None,
            None => {
                state.starting = true;
                Some(Ok(Starting(phases)))
            }
        }
    });
    let guard = match turn.await {
        Ok(guard) => guard,
        Err(ended) => return ended,
    };
    let singletons = began.elapsed();
    let services = futures_util::future::try_join_all(services).await?;
    let deps = hosted_dependencies(nodes, &services);
    let names: Vec<&'static str> = services.iter().map(|s| s.name).collect();

    let mut slots: Vec<Option<HostedService>> = services.into_iter().map(Some).collect();
    let mut done = vec![false; slots.len()];
    let mut place = vec![usize::MAX; slots.len()]; // each one's index in `state.started`
    let mut starts = Vec::new();
    let mut running = FuturesUnordered::new();
    let mut failure: Option<Error> = None;
    let launch = |i: usize, slots: &mut Vec<Option<HostedService>>| {
        let service = slots[i].take().expect("each service is launched once");
        async move {
            let at = Instant::now();
            let started = service.service.start().await;
            (i, service, at.elapsed(), started)
        }
    };
    let ready_now = |done: &[bool], slots: &[Option<HostedService>]| -> Vec<usize> {
        (0..slots.len()).filter(|&i| slots[i].is_some() && deps[i].iter().all(|&d| done[d])).collect()
    };
    for i in ready_now(&done, &slots) {
        running.push(launch(i, &mut slots));
    }
    while let Some((i, service, took, started)) = running.next().await {
        match started {
            Ok(()) => {
                // checked under the lock that `stop_hosted` takes the list under: a service that
                // started after a shutdown gave up waiting for this start and took the list is
                // not on it, and is stopped here
                let late = {
                    let mut state = phases.lock();
                    if state.taken {
                        Some(service)
                    } else {
                        let after = deps[i].iter().map(|&d| place[d]).collect();
                        place[i] = state.started.len();
                        state.started.push((service, after));
                        None
                    }
                };
                if let Some(service) = late {
                    for failed in stop_all(vec![(service, Vec::new())], None).await {
                        tracing_stop_failure(container, &failed);
                    }
                    failure.get_or_insert(Error::shutting_down(container));
                    continue;
                }
                done[i] = true;
                starts.push(ServiceStart { name: names[i], took, after: deps[i].iter().map(|&d| names[d]).collect() });
                if phases.is_stopping() && failure.is_none() {
                    failure = Some(Error::shutting_down(container));
                }
                if failure.is_none() {
                    for j in ready_now(&done, &slots) {
                        running.push(launch(j, &mut slots));
                    }
                }
            }
            Err(error) => {
                // the others in flight finish their start; then what started is stopped
                failure.get_or_insert(Error::start(names[i], error));
            }
        }
    }
    if let Some(error) = failure {
        if !phases.is_stopping() {
            // stopped here; a shutdown that began meanwhile stops them itself, once this ends
            let started = std::mem::take(&mut phases.lock().started);
            let stopped = stop_all(started, None).await;
            for failed in stopped {
                tracing_stop_failure(container, &failed);
            }
        }
        drop(guard);
        return Err(error);
    }
    starts.sort_by(|a, b| b.took.cmp(&a.took).then(a.name.cmp(b.name)));
    let report = StartReport { container, singletons, total: began.elapsed(), services: starts };
    {
        let mut state = phases.lock();
        state.report = Some(report.clone());
    }
    phases.ready.store(true, Ordering::SeqCst);
    drop(guard); // wakes those waiting for readiness
    Ok(report)
}

/// A stop that failed while a failed `start()` stopped what it had started: logged (the start's
/// error is the result).
fn tracing_stop_failure(container: &'static str, failed: &DisposeFailure) {
    #[cfg(feature = "tracing")]
    tracing::error!(target: "injectq", %failed, "stopping a hosted service of `{container}` after a failed start failed");
    #[cfg(not(feature = "tracing"))]
    let _ = (container, failed);
}

/// For each service, the indices of the other services it depends on, directly or through
/// services that are not hosted.
fn hosted_dependencies(nodes: &[Node], services: &[HostedService]) -> Vec<Vec<usize>> {
    let index_of = |node: usize| services.iter().position(|s| s.node == node);
    services
        .iter()
        .map(|service| {
            let mut seen = vec![false; nodes.len()];
            let mut stack = vec![service.node];
            let mut found = Vec::new();
            while let Some(node) = stack.pop() {
                let Some(n) = nodes.get(node) else { continue };
                for &dep in n.deps {
                    if dep == NO_NODE || dep >= nodes.len() || std::mem::replace(&mut seen[dep], true) {
                        continue;
                    }
                    match index_of(dep) {
                        // a hosted dependency: what it depends on comes with it
                        Some(i) if dep != service.node => found.push(i),
                        _ => stack.push(dep),
                    }
                }
            }
            found.sort_unstable();
            found
        })
        .collect()
}

/// Stops every hosted service started, a service after those that depend on it, independent ones
/// concurrently, each bounded by its own stop timeout or else `limit`; marks the container as no
/// longer ready, for good. The failures (an error, a panic, a missed deadline), newest first.
#[doc(hidden)]
pub async fn stop_hosted(phases: &Phases, limit: Option<Duration>) -> Vec<DisposeFailure> {
    phases.mark_stopping();
    // a `start()` in progress ends first (it starts nothing more once the container is
    // stopping), so that what it started stops in order with the rest, before anything is
    // disposed; within `limit`, past which what it starts later is stopped by the start itself
    let start_ended = until(&phases.changed, || (!phases.lock().starting).then_some(()));
    match limit {
        Some(limit) => drop(tokio::time::timeout(limit, start_ended).await),
        None => start_ended.await,
    }
    let started = {
        let mut state = phases.lock();
        state.taken = true;
        std::mem::take(&mut state.started)
    };
    stop_all(started, limit).await
}

/// Stops `started`, a service after those that depend on it, independent ones concurrently,
/// each within its stop timeout or else `limit`: the failures.
async fn stop_all(started: Vec<(HostedService, Vec<usize>)>, limit: Option<Duration>) -> Vec<DisposeFailure> {
    if started.is_empty() {
        return Vec::new();
    }
    let n = started.len();
    // how many services depend on each one and are not stopped yet
    let mut dependents = vec![0usize; n];
    for (_, deps) in &started {
        for &d in deps {
            dependents[d] += 1;
        }
    }
    let deps: Vec<Vec<usize>> = started.iter().map(|(_, deps)| deps.clone()).collect();
    let mut stoppers: Vec<Option<Disposer>> =
        started.into_iter().map(|(s, _)| Some(Arc::clone(&s.service).stopper(s.name))).collect();
    let mut failures = Vec::new();
    let mut running = FuturesUnordered::new();
    let launch = |i: usize, stoppers: &mut Vec<Option<Disposer>>| {
        let stop = stoppers[i].take().expect("each service is stopped once").start(Outcome::Completed, limit);
        async move { (i, stop.await) }
    };
    // newest first among those nothing depends on
    for i in (0..n).rev().filter(|&i| dependents[i] == 0) {
        running.push(launch(i, &mut stoppers));
    }
    while let Some((i, stopped)) = running.next().await {
        if let Err(failure) = stopped {
            failures.push(failure);
        }
        for &d in &deps[i] {
            dependents[d] -= 1;
            if dependents[d] == 0 {
                running.push(launch(d, &mut stoppers));
            }
        }
    }
    failures
}

/// `first` (the hosted services' stops), then what `then` failed with, as one result.
#[doc(hidden)]
pub fn merge_failures(
    owner: &'static str,
    first: Vec<DisposeFailure>,
    then: std::result::Result<(), crate::DisposeError>,
) -> std::result::Result<(), crate::DisposeError> {
    crate::DisposeError::merge(owner, first, then)
}
