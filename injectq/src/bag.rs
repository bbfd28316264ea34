//! The disposal bag of a container or scope: the disposers of what it created, in creation
//! order, and the one disposal that runs them.
//!
//! The rules this file keeps, each tested (`tests/lifecycle.rs`, `tests/reliability.rs`):
//! - **One disposal per bag.** The first `dispose()` starts it; every other call, concurrent or
//!   later, waits for it and returns its result.
//! - **Nothing is lost to cancellation.** The disposal is driven by the caller's future; if that
//!   future is dropped half-way, the rest (including the disposer in progress, which is not
//!   restarted) moves to a task on the current tokio runtime, and callers still waiting see it
//!   finish. With no runtime, it is parked: the next `dispose()` call, or the parent's disposal,
//!   takes it up; if nothing ever does, dropping the bag logs an `ERROR` naming every service that
//!   was not disposed.
//! - **Children before their parent.** A root's scopes that hold disposers, and child
//!   containers, are registered with it; its disposal disposes them first, all at once (a scope
//!   still open as [`Cancelled`](Outcome::Cancelled)), whoever calls, then its own disposers.
//! - **A root knows its open scopes,** so that [`shutdown`](DisposeBag::shutdown) can wait for
//!   them and refuse new ones.
//! - **Deadlines.** Each disposer is bounded by its own deadline or the container's, if either is
//!   set; a disposer past it is abandoned, reported, and the others still run.

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use slab::Slab;
use tokio::sync::Notify;

use crate::__private::BoxFuture;
use crate::constructing::Waits;
use crate::dispose::{DisposeError, DisposeFailure, Disposer, Outcome};
use crate::{Error, Result};

/// The disposal bag of one container or scope, held by its state. Dropping it (the container or
/// scope was dropped without `dispose().await`) disposes what it holds on the current runtime,
/// as [`Cancelled`](Outcome::Cancelled) (or [`Panicked`](Outcome::Panicked) while a panic
/// unwinds).
pub struct DisposeBag {
    core: Arc<Core>,
}

/// What a bag shares with the disposal that may outlive it.
pub(crate) struct Core {
    owner: &'static str,
    /// a container: the name of its scope type, for reports; a refused scope: its root's name
    scopes: &'static str,
    /// no instance is accepted any more: disposal has begun, or the scope was refused
    closed: AtomicBool,
    role: Role,
    /// the root of a scope, or the parent of a child container: weak, so that no cycle keeps
    /// either alive
    parent: Weak<Core>,
    state: Mutex<State>,
    /// wakes the callers waiting for a disposal that another future drives, and (roots) the
    /// `shutdown` waiting for the open scopes; each checks its condition again when woken
    changed: Notify,
    /// in nanoseconds; 0 = none
    dispose_timeout: AtomicU64,
    create_timeout: AtomicU64,
    /// roots: how many of their scopes have not ended, and whether new ones are refused
    open_scopes: AtomicUsize,
    draining: AtomicBool,
    /// roots and child containers: the waits between creations in progress of their tree (a
    /// child shares its parent's); scopes use their root's
    waits: Option<Arc<Waits>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Child,
    Scope,
    /// a scope opened while its root was shutting down (or disposed, `true`): closed from the
    /// start
    Refused(bool),
}

struct State {
    phase: Phase,
    /// the worst outcome reported so far
    outcome: Outcome,
    disposers: Vec<Disposer>,
    /// scopes with disposers, and child containers: disposed before this bag's own disposers
    children: Children,
    /// this bag's key in its parent's `children`, once registered (`UNREGISTERED` before)
    key: usize,
    /// a scope has been counted out of its root's open scopes
    ended: bool,
    /// the disposal's remaining work while no future drives it (boxed: rare, and large)
    parked: Option<Box<Run>>,
}

enum Phase {
    Open,
    Disposing,
    /// the disposal's failures, if any (boxed: a bag is small while it is open)
    Done(Option<Box<DisposeError>>),
}

/// The result of a disposal, as every caller gets it.
fn result(done: &Option<Box<DisposeError>>) -> std::result::Result<(), DisposeError> {
    match done {
        None => Ok(()),
        Some(error) => Err((**error).clone()),
    }
}

/// The bags registered with a container (its scopes that hold disposers, its child containers):
/// nothing allocated until the first one, so a scope, which has none, stays small.
#[derive(Default)]
struct Children(Option<Box<Slab<Arc<Core>>>>);

impl Children {
    fn insert(&mut self, child: &Arc<Core>) -> usize {
        self.0.get_or_insert_default().insert(Arc::clone(child))
    }

    /// `child`, if it is still registered at `key` (a key is reused once freed).
    fn remove(&mut self, key: usize, child: &Arc<Core>) -> Option<Arc<Core>> {
        let slab = self.0.as_mut()?;
        slab.get(key).is_some_and(|c| Arc::ptr_eq(c, child)).then(|| slab.remove(key))
    }

    fn take(&mut self) -> Vec<Arc<Core>> {
        self.0.as_mut().map(|slab| slab.drain().collect()).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |slab| slab.len())
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The `key` of a bag not registered with its parent.
const UNREGISTERED: usize = usize::MAX;

/// What a caller of `dispose()` does next.
enum Step {
    Done(std::result::Result<(), DisposeError>),
    Drive(Run),
    Wait,
}

impl DisposeBag {
    fn with_core(core: Core) -> Self {
        DisposeBag { core: Arc::new(core) }
    }

    /// The bag of a root container named `owner`, whose scope type is named `scopes`.
    pub fn root(owner: &'static str, scopes: &'static str) -> Self {
        let mut core = Core::new(owner, scopes, Role::Root, Weak::new(), Phase::Open);
        core.waits = Some(Arc::default());
        DisposeBag::with_core(core)
    }

    /// The bag of a child container named `owner`: registered with `parent`, which disposes it
    /// first. Its deadlines start as its parent's.
    pub fn child(parent: &DisposeBag, owner: &'static str, scopes: &'static str) -> Self {
        let mut core = Core::new(owner, scopes, Role::Child, Arc::downgrade(&parent.core), Phase::Open);
        core.waits = Some(parent.waits());
        let bag = DisposeBag::with_core(core);
        bag.core.inherit(&parent.core);
        match parent.core.register(&bag.core) {
            Ok(key) => bag.core.lock().key = key,
            Err(()) => {
                // the parent is disposed: so is the child, from the start
                bag.core.closed.store(true, Ordering::Release);
                bag.core.lock().phase = Phase::Done(None);
            }
        }
        bag
    }

    /// The bag of a scope of `root`, named `owner`. It counts among the root's open scopes until
    /// it ends; if the root is shutting down or disposed, the scope is refused: it is closed from
    /// the start, and resolving from it says why.
    pub fn scope(root: &DisposeBag, owner: &'static str) -> Self {
        let root = &root.core;
        // counted first, then checked: `shutdown` sets `draining` first, then counts, so one of
        // the two sees the other
        root.open_scopes.fetch_add(1, Ordering::SeqCst);
        let draining = root.draining.load(Ordering::SeqCst);
        if draining || root.closed.load(Ordering::Acquire) {
            root.scope_ended();
            // a root that began a shutdown refuses as shutting down from then on, disposed or not
            let role = Role::Refused(!draining);
            let core = Core::new(owner, root.owner, role, Weak::new(), Phase::Done(None));
            core.closed.store(true, Ordering::Release);
            return DisposeBag::with_core(core);
        }
        let bag = DisposeBag::with_core(Core::new(owner, "", Role::Scope, Arc::downgrade(root), Phase::Open));
        bag.core.inherit(root);
        bag
    }

    /// Records `disposer`, or gives it back if the bag is closed (then the caller disposes it at
    /// once, so that nothing is lost). A scope's first disposer registers the scope with its
    /// root, so that the root's disposal reaches it.
    pub fn push(&self, disposer: Disposer) -> std::result::Result<(), Disposer> {
        let core = &self.core;
        let mut state = core.lock();
        if !matches!(state.phase, Phase::Open) {
            return Err(disposer);
        }
        if state.key == UNREGISTERED && core.role == Role::Scope {
            // lock order: a scope's lock, then its root's; never the other way round
            match core.parent.upgrade().map(|root| root.register(core)) {
                Some(Ok(key)) => state.key = key,
                // the root is being disposed: it would not reach this scope any more
                Some(Err(())) | None => return Err(disposer),
            }
        }
        state.disposers.push(disposer);
        Ok(())
    }

    /// Has disposal begun (or was the scope refused)? One atomic load.
    #[inline]
    pub fn is_closed(&self) -> bool {
        self.core.closed.load(Ordering::Acquire)
    }

    /// The container or scope this bag belongs to.
    #[inline]
    pub fn owner(&self) -> &'static str {
        self.core.owner
    }

    /// Why nothing more can be resolved here: disposed, or refused because its root is shutting
    /// down (or was disposed).
    ///
    /// Once a root's shutdown has begun, it and its scopes say it is shutting down, also after the
    /// shutdown disposed them: a request that still arrives is refused as one that arrived during
    /// the shutdown (`Inject` answers `503`, which a load balancer retries).
    #[cold]
    pub fn closed_error(&self) -> Error {
        let core = &self.core;
        match core.role {
            Role::Refused(false) => Error::shutting_down(core.scopes),
            Role::Refused(true) => Error::disposed(core.scopes),
            Role::Root if core.draining.load(Ordering::SeqCst) => Error::shutting_down(core.owner),
            Role::Scope => match core.parent.upgrade() {
                Some(root) if root.draining.load(Ordering::SeqCst) => Error::shutting_down(root.owner),
                _ => Error::disposed(core.owner),
            },
            _ => Error::disposed(core.owner),
        }
    }

    /// `Ok` if a scope opened now would be open: this container is neither disposed nor shutting
    /// down.
    pub fn accepts_scopes(&self) -> Result<()> {
        if self.is_closed() {
            Err(self.closed_error())
        } else if self.core.draining.load(Ordering::SeqCst) {
            Err(Error::shutting_down(self.core.owner))
        } else {
            Ok(())
        }
    }

    /// Why [`push`](Self::push) refuses a disposer: this bag is closed, or (a scope) its root is
    /// being disposed.
    #[cold]
    pub fn refusal(&self) -> Error {
        match self.core.parent.upgrade() {
            Some(root) if !self.is_closed() && self.core.role == Role::Scope => Error::disposed(root.owner),
            _ => self.closed_error(),
        }
    }

    /// Reports how the work of this bag's scope went; disposal sees the worst outcome reported.
    pub fn report(&self, outcome: Outcome) {
        let mut state = self.core.lock();
        state.outcome = state.outcome.max(outcome);
    }

    /// Disposes everything this bag holds (its children first), as [`Outcome::Completed`] unless
    /// something worse was reported. See the module's rules: one disposal, shared by every
    /// caller, finished even if this future is dropped.
    pub fn dispose(&self) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send + 'static + use<> {
        Arc::clone(&self.core).dispose(Outcome::Completed)
    }

    /// [`dispose`](Self::dispose), reporting `outcome` first.
    pub fn dispose_as(
        &self,
        outcome: Outcome,
    ) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send + 'static + use<> {
        self.report(outcome);
        self.dispose()
    }

    /// Reports `outcome` and disposes in the background, on the current runtime: for a scope
    /// whose end is noticed where nothing can be awaited (a `Drop`). A root's `shutdown` waits for
    /// it like for any open scope.
    pub fn dispose_in_background(&self, outcome: Outcome) {
        self.core.detach(outcome, false);
    }

    /// Refuses new scopes, waits until every open scope has ended or `deadline` has passed,
    /// then disposes everything (scopes still open as [`Cancelled`](Outcome::Cancelled)). Scopes
    /// still open at the deadline are reported in the error.
    pub async fn shutdown(&self, deadline: Duration) -> std::result::Result<(), DisposeError> {
        let core = &self.core;
        core.draining.store(true, Ordering::SeqCst);
        let drained = async {
            loop {
                let mut ended = pin!(core.changed.notified());
                ended.as_mut().enable();
                if core.open_scopes.load(Ordering::SeqCst) == 0 {
                    return;
                }
                ended.await;
            }
        };
        let still_open = match tokio::time::timeout(deadline, drained).await {
            Ok(()) => 0,
            Err(_) => core.open_scopes.load(Ordering::SeqCst),
        };
        let disposed = self.dispose().await;
        if still_open == 0 {
            return disposed;
        }
        let mut failures = vec![DisposeFailure::still_open(core.scopes, still_open)];
        if let Err(error) = disposed {
            failures.extend_from_slice(error.failures());
        }
        Err(DisposeError::new(core.owner, failures))
    }

    /// How long each disposer may take (its own [`AsyncDispose::dispose_timeout`] comes first).
    /// Scopes and child containers opened afterwards take it from their root or parent.
    ///
    /// [`AsyncDispose::dispose_timeout`]: crate::AsyncDispose::dispose_timeout
    pub fn set_dispose_timeout(&self, limit: Duration) {
        self.core.dispose_timeout.store(nanos(limit), Ordering::Relaxed);
    }

    /// How long a creation (its wait for another creation of the same service included) may take.
    pub fn set_create_timeout(&self, limit: Duration) {
        self.core.create_timeout.store(nanos(limit), Ordering::Relaxed);
    }

    /// The deadline of creations in this container or scope, if it has one.
    #[inline]
    pub fn create_timeout(&self) -> Option<Duration> {
        duration(self.core.create_timeout.load(Ordering::Relaxed))
    }

    /// The waits between the creations in progress of this container's tree (see
    /// [`Waits`]): its own for a root, its root's for a scope, shared with the parent for a child.
    pub(crate) fn waits(&self) -> Arc<Waits> {
        match &self.core.waits {
            Some(waits) => Arc::clone(waits),
            // a scope keeps its root alive; a refused scope, whose root may be gone, waits alone
            None => self.core.parent.upgrade().and_then(|root| root.waits.clone()).unwrap_or_default(),
        }
    }

    /// The deadline of each disposer, if the container has one.
    pub fn dispose_timeout(&self) -> Option<Duration> {
        duration(self.core.dispose_timeout.load(Ordering::Relaxed))
    }
}

impl Drop for DisposeBag {
    /// The container or scope was dropped without `dispose().await` (a cancelled request, a
    /// panicking handler): what it holds is disposed on the current runtime.
    fn drop(&mut self) {
        let outcome = if std::thread::panicking() { Outcome::Panicked } else { Outcome::Cancelled };
        self.core.detach(outcome, true);
    }
}

impl std::fmt::Debug for DisposeBag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.core.lock();
        let phase = match state.phase {
            Phase::Open => "open",
            Phase::Disposing => "disposing",
            Phase::Done(_) => "disposed",
        };
        f.debug_struct("DisposeBag")
            .field("phase", &phase)
            .field("disposers", &state.disposers.len())
            .field("children", &state.children.len())
            .finish()
    }
}

fn nanos(limit: Duration) -> u64 {
    // 0 means "none": a zero deadline is the shortest one, 1 ns
    u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX).max(1)
}

fn duration(nanos: u64) -> Option<Duration> {
    (nanos != 0).then(|| Duration::from_nanos(nanos))
}

impl Core {
    fn new(owner: &'static str, scopes: &'static str, role: Role, parent: Weak<Core>, phase: Phase) -> Self {
        Core {
            owner,
            scopes,
            closed: AtomicBool::new(false),
            role,
            parent,
            state: Mutex::new(State {
                phase,
                outcome: Outcome::Completed,
                disposers: Vec::new(),
                children: Children::default(),
                key: UNREGISTERED,
                ended: false,
                parked: None,
            }),
            changed: Notify::new(),
            dispose_timeout: AtomicU64::new(0),
            create_timeout: AtomicU64::new(0),
            open_scopes: AtomicUsize::new(0),
            draining: AtomicBool::new(false),
            waits: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // no user code runs under this lock, so a poisoned lock still holds a consistent state
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes the deadlines of `parent`.
    fn inherit(&self, parent: &Core) {
        for (mine, theirs) in
            [(&self.dispose_timeout, &parent.dispose_timeout), (&self.create_timeout, &parent.create_timeout)]
        {
            mine.store(theirs.load(Ordering::Relaxed), Ordering::Relaxed);
        }
    }

    /// Registers `child`, disposed before this bag's own disposers; refused once this bag's
    /// disposal has begun.
    fn register(&self, child: &Arc<Core>) -> std::result::Result<usize, ()> {
        let mut state = self.lock();
        match state.phase {
            Phase::Open => Ok(state.children.insert(child)),
            _ => Err(()),
        }
    }

    /// Removes `child` from the registry, if it is still there at `key`.
    fn deregister(&self, key: usize, child: &Arc<Core>) {
        let mut state = self.lock();
        let removed = state.children.remove(key, child);
        // dropped after the lock: a core's drop may log, and reaches its root
        drop(state);
        drop(removed);
    }

    /// A scope of this root has ended.
    fn scope_ended(&self) {
        if self.open_scopes.fetch_sub(1, Ordering::SeqCst) == 1 && self.draining.load(Ordering::SeqCst) {
            self.changed.notify_waiters();
        }
    }

    /// What the next step of a disposal is. From `Open`, it begins: the bag closes, and the run
    /// takes the disposers and the children; `outcome` is reported first (the worst one wins).
    fn begin(self: &Arc<Self>, outcome: Outcome) -> Step {
        let mut state = self.lock();
        match state.phase {
            Phase::Done(ref done) => Step::Done(result(done)),
            Phase::Disposing => state.parked.take().map_or(Step::Wait, |run| Step::Drive(*run)),
            Phase::Open => {
                state.outcome = state.outcome.max(outcome);
                self.closed.store(true, Ordering::Release);
                if state.disposers.is_empty() && state.children.is_empty() {
                    state.phase = Phase::Done(None);
                    drop(state);
                    self.finished();
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
    async fn dispose(self: Arc<Self>, outcome: Outcome) -> std::result::Result<(), DisposeError> {
        let run = loop {
            match self.begin(outcome) {
                Step::Done(done) => return done,
                Step::Drive(run) => break run,
                // waiting for a disposal that waits for this very call would never end
                Step::Wait if driving(&self) => return Err(self.reentered()),
                Step::Wait => {}
            }
            // another future drives it: wait until it is done or parked, then look again
            let mut settled = pin!(self.changed.notified());
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

    /// Disposes in the background: the owner is gone (`outcome`: how it went), or a guard ended
    /// it. Nothing to do if a disposal is already being driven.
    fn detach(self: &Arc<Self>, outcome: Outcome, dropped: bool) {
        if let Step::Drive(run) = self.begin(outcome) {
            // warned by the task that disposes it, once it runs: a runtime shutting down drops
            // that task unrun, and the error that nothing disposed it is then the one report
            let announce = dropped.then_some(outcome);
            self.hand_over(run, false, announce);
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
        self.changed.notify_waiters();
    }

    /// The disposal is done: record it, wake the waiting callers, leave the parent's registry
    /// and count a scope out of its root's open scopes.
    fn finish(self: &Arc<Self>, done: std::result::Result<(), DisposeError>) {
        self.lock().phase = Phase::Done(done.err().map(Box::new));
        self.finished();
    }

    fn finished(self: &Arc<Self>) {
        let (key, ended) = {
            let mut state = self.lock();
            (std::mem::replace(&mut state.key, UNREGISTERED), std::mem::replace(&mut state.ended, true))
        };
        self.changed.notify_waiters();
        let Some(parent) = self.parent.upgrade() else { return };
        if key != UNREGISTERED {
            parent.deregister(key, self);
        }
        if self.role == Role::Scope && !ended {
            parent.scope_ended();
        }
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
struct Run {
    owner: &'static str,
    outcome: Outcome,
    timeout: Option<Duration>,
    /// not started yet; newest last
    children: Vec<Arc<Core>>,
    /// the children's disposals, started together, each with its place in `child_failures`
    disposing: futures_util::stream::FuturesUnordered<BoxFuture<'static, (usize, ChildDone)>>,
    /// each child's failures, newest child first
    child_failures: Vec<Vec<DisposeFailure>>,
    /// in creation order: the newest is popped first
    disposers: Vec<Disposer>,
    current: Option<(&'static str, BoxFuture<'static, std::result::Result<(), DisposeFailure>>)>,
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
        disposers: Vec<Disposer>,
    ) -> Self {
        Run {
            owner,
            outcome,
            timeout,
            children,
            disposing: futures_util::stream::FuturesUnordered::new(),
            child_failures: Vec::new(),
            disposers,
            current: None,
            failures: Vec::new(),
        }
    }

    /// The services not disposed yet: the one in progress, then the others, newest first.
    fn remaining(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.current.iter().map(|(name, _)| *name).chain(self.disposers.iter().rev().map(Disposer::name))
    }

    /// Starts every child's disposal: an open scope is cut short by its root's disposal; a child
    /// container ends as its parent does.
    fn start_children(&mut self) {
        self.child_failures = vec![Vec::new(); self.children.len()];
        for (place, child) in self.children.drain(..).rev().enumerate() {
            let outcome = if child.role == Role::Scope { Outcome::Cancelled } else { self.outcome };
            let disposal = child.dispose(outcome);
            self.disposing.push(Box::pin(async move { (place, disposal.await) }));
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
        while let Some((place, done)) = ready!(run.disposing.poll_next_unpin(cx)) {
            if let Err(error) = done {
                run.child_failures[place].extend_from_slice(error.failures());
            }
        }
        loop {
            if let Some((_, current)) = &mut run.current {
                if let Err(failure) = ready!(current.as_mut().poll(cx)) {
                    run.failures.push(failure);
                }
                run.current = None;
            } else if let Some(disposer) = run.disposers.pop() {
                run.current = Some((disposer.name(), disposer.start(run.outcome, run.timeout)));
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

/// `Ok(())`, or the error of the first closed bag among `bags`.
#[inline]
pub(crate) fn open<const N: usize>(bags: [&DisposeBag; N]) -> Result<()> {
    match bags.into_iter().find(|bag| bag.is_closed()) {
        Some(bag) => Err(bag.closed_error()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
