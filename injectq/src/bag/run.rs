//! The one disposal of a bag: who drives it, how it is handed over when its driver goes, and its
//! run (the children all at once, then the disposers newest first).

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use super::{Core, Disposers, Phase, Role, State, UNREGISTERED, duration, result};
use crate::dispose::{DisposeError, DisposeFailure, Disposer, Outcome, Running};
use crate::future::BoxFuture;

/// What a caller of `dispose()` does next.
// `Drive` is moved once, out of the lock to its driver: boxing it would allocate per disposal
#[allow(clippy::large_enum_variant)]
enum Step {
    Done(std::result::Result<(), DisposeError>),
    Drive(Run),
    Wait,
}

impl Core {
    /// What the next step of a disposal is. From `Open`, it begins: the bag closes, and the run
    /// takes the disposers and the children; `outcome` is reported first (the worst one wins).
    fn begin(self: &Arc<Self>, outcome: Outcome) -> Step {
        self.begin_as(|_| outcome)
    }

    /// [`begin`](Self::begin), with the outcome chosen, if the disposal begins here, from the
    /// state it begins in.
    fn begin_as(self: &Arc<Self>, outcome: impl FnOnce(&State) -> Outcome) -> Step {
        let mut state = self.lock();
        match state.phase {
            Phase::Done(ref done) => Step::Done(result(done)),
            Phase::Disposing => state.parked.take().map_or(Step::Wait, |run| Step::Drive(*run)),
            Phase::Open => {
                let outcome = outcome(&state);
                state.outcome = state.outcome.max(outcome);
                self.closed.store(true, Ordering::Release);
                if state.disposers.is_empty() && state.children.is_empty() {
                    state.phase = Phase::Done(None);
                    let left = leave(&mut state);
                    drop(state);
                    self.left(left);
                    return Step::Done(Ok(()));
                }
                state.phase = Phase::Disposing;
                let outcome = state.outcome;
                let children = state.children.take();
                let disposers = std::mem::take(&mut state.disposers);
                let timeout = duration(self.dispose_timeout.load(Ordering::Relaxed));
                Step::Drive(Run::new(self.owner, outcome, timeout, children, disposers))
            }
        }
    }

    /// The one disposal of this bag, driven by this future until it is done or dropped, as
    /// `outcome` unless a worse one was reported.
    pub(super) async fn dispose(self: Arc<Self>, outcome: Outcome) -> std::result::Result<(), DisposeError> {
        let run = loop {
            match self.begin(outcome) {
                Step::Done(done) => return done,
                Step::Drive(run) => break run,
                // waiting for a disposal that waits for this very call would never end
                Step::Wait if driving(&self) => return Err(self.reentered()),
                Step::Wait => {}
            }
            // another future drives it: wait until it is done or parked, then look again (counted
            // before the look, so that what ends or parks the disposal after it wakes this wait)
            let mut settled = pin!(self.changed.notified());
            let _waiting = Waiting::new(&self.waiting);
            settled.as_mut().enable();
            match self.begin(outcome) {
                Step::Done(done) => return done,
                Step::Drive(run) => break run,
                Step::Wait => settled.await,
            }
        };
        Driver::new(self, run, false).await
    }

    /// The error of a `dispose()` called from inside this bag's own disposal.
    #[cold]
    fn reentered(&self) -> DisposeError {
        DisposeError::new(self.owner, vec![DisposeFailure::reentered(self.owner)])
    }

    /// The owner (a container or scope) was dropped: disposes in the background as `Cancelled`
    /// (`Panicked` during a panic), with a warning; or, when a `dispose()` future that has not run
    /// yet holds this core (`tokio::spawn(scope.dispose())`, then the scope dropped), as that call
    /// asked. What holds the core, besides such futures: its owner, and its parent's registry of
    /// its children once it is registered there; a disposal that has begun is driven already.
    pub(super) fn dropped(self: &Arc<Self>) {
        // the warning's outcome: none when a `dispose()` asked for this disposal
        let mut announce = None;
        let step = self.begin_as(|state| {
            let holders = 1 + usize::from(state.key != UNREGISTERED);
            let requested = Arc::strong_count(self) > holders || self.released.load(Ordering::SeqCst);
            let outcome = match () {
                _ if std::thread::panicking() => Outcome::Panicked,
                _ if requested => Outcome::Completed,
                _ => Outcome::Cancelled,
            };
            announce = (!requested).then_some(outcome);
            outcome
        });
        if let Step::Drive(run) = step {
            // warned by the task that disposes it, once it runs: a runtime shutting down drops
            // that task unrun, and the error that nothing disposed it is then the one report
            self.hand_over(run, false, announce);
        }
    }

    /// Disposes in the background, as `outcome`: a scope whose end was noticed where nothing can
    /// be awaited. Nothing to do if a disposal is already being driven.
    ///
    /// Most disposals finish at their first poll (a connection handed back, a flag set): on a
    /// runtime, and unless a panic unwinds, that poll runs here, and only a disposal that waits
    /// is handed over to a task (a task per request's scope was most of its disposal's cost).
    /// What a disposer does before its first `.await` runs where the scope ended, as the code of
    /// an `async fn` does before its first `.await`.
    pub(super) fn detach(self: &Arc<Self>, outcome: Outcome) {
        let Step::Drive(run) = self.begin(outcome) else { return };
        if std::thread::panicking() || tokio::runtime::Handle::try_current().is_err() {
            return self.hand_over(run, false, None);
        }
        let mut driver = Driver::new(Arc::clone(self), run, false);
        // a waker that does nothing: a disposal that waits is handed over by `driver`'s drop,
        // and the task's first poll registers the task's waker
        if let Poll::Ready(Err(error)) = Pin::new(&mut driver).poll(&mut Context::from_waker(std::task::Waker::noop()))
        {
            tracing::error!(target: "injectq", %error, "disposing `{}` in the background failed", self.owner);
        }
    }

    /// A disposal whose driver is gone: a task on the current runtime takes it over; with no
    /// runtime (or if that task is itself dropped, as a runtime shuts down), it is parked for the
    /// next caller or the parent's disposal. `dropped`: the owner was dropped without
    /// `dispose().await` and its disposal ends as that outcome, which the task warns of when it
    /// starts (with the `tracing` feature).
    fn hand_over(self: &Arc<Self>, run: Run, detached: bool, dropped: Option<Outcome>) {
        if !detached && let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let driver = Driver::new(Arc::clone(self), run, true);
            runtime.spawn(async move {
                let owner = driver.core.owner;
                #[cfg(feature = "tracing")]
                if let (Some(outcome), Some(run)) = (dropped, &driver.run) {
                    tracing::warn!(
                        target: "injectq",
                        waiting = run.disposers.len(),
                        "`{owner}` was dropped without `dispose().await`: disposing it on the runtime, as {outcome}"
                    );
                }
                #[cfg(not(feature = "tracing"))]
                let _ = dropped;
                if let Err(error) = driver.await {
                    tracing::error!(target: "injectq", %error, "disposing `{owner}` in the background failed");
                }
            });
            return;
        }
        self.lock().parked = Some(Box::new(run));
        self.wake_waiting();
    }

    /// The disposal is done: record it (under the lock that [`leave`] needs too), wake the
    /// waiting callers, leave the parent's registry and count a scope out of its root's open
    /// scopes.
    fn finish(self: &Arc<Self>, done: std::result::Result<(), DisposeError>) {
        let left = {
            let mut state = self.lock();
            state.phase = Phase::Done(done.err().map(Box::new));
            leave(&mut state)
        };
        self.left(left);
    }

    /// The callers of `dispose()` waiting for a disposal that another future drives look again.
    fn wake_waiting(&self) {
        if self.waiting.load(Ordering::SeqCst) != 0 {
            self.changed.notify_waiters();
        }
    }

    /// What [`leave`] took: wakes the waiting callers, leaves the parent's registry, counts a
    /// scope out of its root's open scopes.
    fn left(self: &Arc<Self>, (key, ended): (usize, bool)) {
        self.wake_waiting();
        let Some(parent) = self.parent.upgrade() else { return };
        if key != UNREGISTERED {
            parent.deregister(key, self);
        }
        if self.role == Role::Scope && !ended {
            parent.scope_ended();
        }
    }
}

/// The bag's key in its parent's registry, and whether a scope was counted out of its root's
/// open scopes already: taken (unregistered, counted out) as its disposal ends.
fn leave(state: &mut State) -> (usize, bool) {
    (std::mem::replace(&mut state.key, UNREGISTERED), std::mem::replace(&mut state.ended, true))
}

/// A `dispose()` caller counted among those waiting, until dropped (also when its future is).
struct Waiting<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> Waiting<'a> {
    fn new(waiting: &'a std::sync::atomic::AtomicUsize) -> Self {
        waiting.fetch_add(1, Ordering::SeqCst);
        Waiting(waiting)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Drop for Core {
    /// The last holder let go with disposers that never ran: nothing can run them any more.
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut names: Vec<&'static str> = state.disposers.iter().map(Disposer::name).collect();
        if let Some(run) = &state.parked {
            names.extend(run.remaining());
        }
        if !names.is_empty() {
            tracing::error!(
                target: "injectq",
                not_disposed = ?names,
                "`{}` was not disposed: no tokio runtime was left to run its disposers (dispose it with `dispose().await` or `shutdown()` while the runtime runs)",
                self.owner
            );
        }
        // a scope that never ended (its root outlives it) is counted out
        if self.role == Role::Scope
            && !state.ended
            && let Some(root) = self.parent.upgrade()
        {
            root.scope_ended();
        }
    }
}

/// The work of one disposal: the children first, all at once (they are independent of each other,
/// and each disposer has its own deadline, so a shutdown takes about the longest child's disposal,
/// not their sum), then the disposers, one after the other (newest first), each to the end; every
/// failure is kept, the children's newest first, then the disposers'.
pub(super) struct Run {
    owner: &'static str,
    outcome: Outcome,
    timeout: Option<Duration>,
    /// not started yet; newest last
    children: Vec<Arc<Core>>,
    /// the children's disposals, started together, each with its place in `child_failures`; made
    /// only for a bag with children (a request's scope has none: its disposal allocates no set)
    disposing: Option<futures_util::stream::FuturesUnordered<BoxFuture<'static, (usize, ChildDone)>>>,
    /// each child's failures, newest child first
    child_failures: Vec<Vec<DisposeFailure>>,
    /// in creation order: the newest is popped first
    disposers: Disposers,
    /// the disposer running, polled in place
    current: Option<Running>,
    failures: Vec<DisposeFailure>,
}

/// What a child's disposal gave.
type ChildDone = std::result::Result<(), DisposeError>;

impl Run {
    fn new(
        owner: &'static str,
        outcome: Outcome,
        timeout: Option<Duration>,
        children: Vec<Arc<Core>>,
        disposers: Disposers,
    ) -> Self {
        Run {
            owner,
            outcome,
            timeout,
            children,
            disposing: None,
            child_failures: Vec::new(),
            disposers,
            current: None,
            failures: Vec::new(),
        }
    }

    /// The services not disposed yet: the one in progress, then the others, newest first.
    fn remaining(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.current.iter().map(Running::name).chain(self.disposers.iter().rev().map(Disposer::name))
    }

    /// Starts every child's disposal: an open scope is cut short by its root's disposal; a child
    /// container ends as its parent does.
    fn start_children(&mut self) {
        self.child_failures = vec![Vec::new(); self.children.len()];
        let disposing = self.disposing.get_or_insert_with(futures_util::stream::FuturesUnordered::new);
        for (place, child) in self.children.drain(..).rev().enumerate() {
            let outcome = if child.role == Role::Scope { Outcome::Cancelled } else { self.outcome };
            let disposal = child.dispose(outcome);
            disposing.push(Box::pin(async move { (place, disposal.await) }));
        }
    }
}

impl Future for Run {
    type Output = std::result::Result<(), DisposeError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        use futures_util::StreamExt;
        let run = self.get_mut();
        if !run.children.is_empty() {
            run.start_children();
        }
        if let Some(disposing) = &mut run.disposing {
            while let Some((place, done)) = ready!(disposing.poll_next_unpin(cx)) {
                if let Err(error) = done {
                    run.child_failures[place].extend_from_slice(error.failures());
                }
            }
        }
        loop {
            if let Some(current) = &mut run.current {
                if let Err(failure) = ready!(Pin::new(current).poll(cx)) {
                    run.failures.push(failure);
                }
                run.current = None;
            } else if let Some(mut disposer) = run.disposers.pop() {
                // what must follow it runs next, each on its own terms
                let then = disposer.take_then();
                if !then.is_empty() {
                    run.disposers.extend(then.into_iter().rev());
                }
                run.current = Some(disposer.begin(run.outcome, run.timeout));
            } else {
                let mut failures: Vec<DisposeFailure> = std::mem::take(&mut run.child_failures).concat();
                failures.append(&mut run.failures);
                return Poll::Ready(if failures.is_empty() {
                    Ok(())
                } else {
                    Err(DisposeError::new(run.owner, failures))
                });
            }
        }
    }
}

/// A future driving a disposal. Dropped before the end, it hands the rest over (see
/// [`Core::hand_over`]); `detached`: it is already the runtime's task.
struct Driver {
    core: Arc<Core>,
    run: Option<Run>,
    detached: bool,
}

impl Driver {
    fn new(core: Arc<Core>, run: Run, detached: bool) -> Self {
        Driver { core, run: Some(run), detached }
    }
}

thread_local! {
    /// The bags whose disposal this thread is polling, innermost last.
    static DRIVING: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Is this thread inside a poll of `core`'s own disposal (a disposer calling its `dispose()`)?
fn driving(core: &Arc<Core>) -> bool {
    let me = Arc::as_ptr(core) as usize;
    DRIVING.with_borrow(|driving| driving.contains(&me))
}

/// `core`'s disposal marked as being polled on this thread, until dropped (also by a panic).
struct Polling;

impl Polling {
    fn new(core: &Arc<Core>) -> Self {
        DRIVING.with_borrow_mut(|driving| driving.push(Arc::as_ptr(core) as usize));
        Polling
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        DRIVING.with_borrow_mut(|driving| driving.pop());
    }
}

impl Future for Driver {
    type Output = std::result::Result<(), DisposeError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let driver = self.get_mut();
        let run = driver.run.as_mut().expect("a disposal polled after it completed");
        let polling = Polling::new(&driver.core);
        let done = ready!(Pin::new(run).poll(cx));
        drop(polling);
        driver.run = None;
        driver.core.finish(done.clone());
        Poll::Ready(done)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(run) = self.run.take() {
            self.core.hand_over(run, self.detached, None);
        }
    }
}
