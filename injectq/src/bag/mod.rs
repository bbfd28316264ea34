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
//!
//! This file is the bag and its registry of children; `run.rs` is its one disposal (who drives
//! it, how it is handed over, the run itself).

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use slab::Slab;
use tokio::sync::Notify;

use crate::constructing::Waits;
use crate::dispose::{DisposeError, DisposeFailure, Disposer, Outcome};
use crate::{Error, Result};

mod run;

use run::Run;

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
    /// let go of on purpose (a tenant's scope evicted from its cache): once its last handle is
    /// dropped, it is disposed as `Completed`, without the warning of a scope dropped by mistake
    released: AtomicBool,
    role: Role,
    /// the root of a scope, or the parent of a child container: weak, so that no cycle keeps
    /// either alive
    parent: Weak<Core>,
    state: Mutex<State>,
    /// wakes the callers waiting for a disposal that another future drives, and (roots) the
    /// `shutdown` waiting for the open scopes; each checks its condition again when woken
    changed: Notify,
    /// how many `dispose()` callers wait on `changed` for a disposal that another future drives:
    /// the end of a disposal, and a disposal parked, wake them only when there are some (a
    /// `notify_waiters` with nobody waiting still takes `Notify`'s lock)
    waiting: AtomicUsize,
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

/// A bag's disposers, in creation order: the first held inline (see the crate's `Cargo.toml`).
type Disposers = smallvec::SmallVec<[Disposer; 1]>;

struct State {
    phase: Phase,
    /// the worst outcome reported so far
    outcome: Outcome,
    disposers: Disposers,
    /// scopes with disposers, and child containers: disposed before this bag's own disposers
    children: Children,
    /// this bag's key in its parent's `children`, once registered (`UNREGISTERED` before)
    key: usize,
    /// a scope has been counted out of its root's open scopes
    ended: bool,
    /// the disposal's remaining work while no future drives it (boxed: rare, and large)
    parked: Option<Box<Run>>,
}

/// Run once when a root's shutdown or disposal begins (see [`DisposeBag::on_close`]).
pub(crate) type CloseHook = Box<dyn FnOnce() + Send>;

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
struct Children(Option<Box<Registry>>);

/// What a bag registers: its children, and (roots) what to run when its shutdown or disposal
/// begins.
#[derive(Default)]
struct Registry {
    children: Slab<Arc<Core>>,
    on_close: Vec<CloseHook>,
}

impl Children {
    fn insert(&mut self, child: &Arc<Core>) -> usize {
        self.0.get_or_insert_default().children.insert(Arc::clone(child))
    }

    /// `child`, if it is still registered at `key` (a key is reused once freed).
    fn remove(&mut self, key: usize, child: &Arc<Core>) -> Option<Arc<Core>> {
        let slab = &mut self.0.as_mut()?.children;
        slab.get(key).is_some_and(|c| Arc::ptr_eq(c, child)).then(|| slab.remove(key))
    }

    fn take(&mut self) -> Vec<Arc<Core>> {
        self.0.as_mut().map(|registry| registry.children.drain().collect()).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |registry| registry.children.len())
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn on_close(&mut self, hook: CloseHook) {
        self.0.get_or_insert_default().on_close.push(hook);
    }

    fn take_on_close(&mut self) -> Vec<CloseHook> {
        self.0.as_mut().map(|registry| std::mem::take(&mut registry.on_close)).unwrap_or_default()
    }
}

/// The `key` of a bag not registered with its parent.
const UNREGISTERED: usize = usize::MAX;

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
        if core.enroll(&mut state).is_err() {
            return Err(disposer);
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
            Role::Scope => match core.root() {
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

    /// A container's [`dispose`](Self::dispose): runs the hooks registered with
    /// [`on_close`](Self::on_close) first. (A scope's has none, and its `dispose` stays as small
    /// as it was.)
    pub fn dispose_container(
        &self,
    ) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send + 'static + use<> {
        self.core.closing();
        self.dispose()
    }

    /// A container's [`dispose`](Self::dispose) that awaits `first` (its hosted services' stops)
    /// before anything else, and reports `first`'s failures before the disposal's.
    pub fn dispose_container_after<F>(
        &self,
        first: F,
    ) -> impl Future<Output = std::result::Result<(), DisposeError>> + Send + 'static + use<F>
    where
        F: Future<Output = Vec<DisposeFailure>> + Send + 'static,
    {
        let core = Arc::clone(&self.core);
        async move {
            let stopped = first.await;
            core.closing();
            let disposed = Arc::clone(&core).dispose(Outcome::Completed).await;
            DisposeError::merge(core.owner, stopped, disposed)
        }
    }

    /// Runs `hook` once, when this root's shutdown or disposal begins (at once if it has begun):
    /// how a cache of scopes (`Tenants`) lets go of them. Run with no lock held.
    pub(crate) fn on_close(&self, hook: CloseHook) {
        let core = &self.core;
        let mut state = core.lock();
        if matches!(state.phase, Phase::Open) && !core.draining.load(Ordering::SeqCst) {
            state.children.on_close(hook);
            return;
        }
        drop(state);
        hook();
    }

    /// Lets go of this scope on purpose: once its last handle is dropped, it is disposed in the
    /// background as [`Completed`](Outcome::Completed), with no warning. A scope cache's eviction.
    pub fn release(&self) {
        self.core.released.store(true, Ordering::SeqCst);
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
        self.core.detach(outcome);
    }

    /// Refuses new scopes, waits until every open scope has ended or `deadline` has passed,
    /// then disposes everything (scopes still open as [`Cancelled`](Outcome::Cancelled)). Scopes
    /// still open at the deadline are reported in the error.
    pub async fn shutdown(&self, deadline: Duration) -> std::result::Result<(), DisposeError> {
        let core = &self.core;
        core.draining.store(true, Ordering::SeqCst);
        core.closing();
        let drained =
            crate::future::until(&core.changed, || (core.open_scopes.load(Ordering::SeqCst) == 0).then_some(()));
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
    /// [`Waits`]): its own for a root, its root's for a scope (through its outer scopes, for a
    /// nested one), shared with the parent for a child.
    pub(crate) fn waits(&self) -> Arc<Waits> {
        if let Some(waits) = &self.core.waits {
            return Arc::clone(waits);
        }
        // a scope keeps its root (or its outer scope, which keeps the root) alive; a refused
        // scope, whose root may be gone, waits alone
        let mut above = self.core.parent.upgrade();
        while let Some(core) = above {
            if let Some(waits) = &core.waits {
                return Arc::clone(waits);
            }
            above = core.parent.upgrade();
        }
        Arc::default()
    }

    /// The deadline of each disposer, if the container has one.
    pub fn dispose_timeout(&self) -> Option<Duration> {
        duration(self.core.dispose_timeout.load(Ordering::Relaxed))
    }
}

impl Drop for DisposeBag {
    /// The container or scope was dropped without `dispose().await` (a cancelled request, a
    /// panicking handler): what it holds is disposed on the current runtime, as `Cancelled`
    /// (`Panicked` during a panic). Dropped after a `dispose()` whose future has not been polled
    /// yet, it is disposed in the background as that call asked, and the call's future returns
    /// the result.
    fn drop(&mut self) {
        self.core.dropped();
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
            released: AtomicBool::new(false),
            role,
            parent,
            state: Mutex::new(State {
                phase,
                outcome: Outcome::Completed,
                disposers: Disposers::new(),
                children: Children::default(),
                key: UNREGISTERED,
                ended: false,
                parked: None,
            }),
            changed: Notify::new(),
            waiting: AtomicUsize::new(0),
            dispose_timeout: AtomicU64::new(0),
            create_timeout: AtomicU64::new(0),
            open_scopes: AtomicUsize::new(0),
            draining: AtomicBool::new(false),
            waits: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // no user code runs under this lock, so a poisoned lock still holds a consistent state
        crate::sync::lock(&self.state)
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
    /// disposal has begun. A scope that registers a child (a scope of a nested kind) registers
    /// itself with its own root or outer scope first, so that their disposal reaches the child.
    fn register(self: &Arc<Self>, child: &Arc<Core>) -> std::result::Result<usize, ()> {
        let mut state = self.lock();
        match state.phase {
            Phase::Open => {
                self.enroll(&mut state)?;
                Ok(state.children.insert(child))
            }
            _ => Err(()),
        }
    }

    /// A scope not registered yet registers with its root (or, for a nested kind, its outer
    /// scope), which then disposes it before itself; `Err` if that one is being disposed (it
    /// would not reach this scope any more) or gone. `state` is this core's, locked: the lock
    /// order is a scope's lock, then its root's or outer scope's, never the other way round.
    #[inline]
    fn enroll(self: &Arc<Self>, state: &mut State) -> std::result::Result<(), ()> {
        if state.key == UNREGISTERED && self.role == Role::Scope { self.register_above(state) } else { Ok(()) }
    }

    /// [`enroll`](Self::enroll)'s work: once per scope that registers anything.
    #[cold]
    #[inline(never)]
    fn register_above(self: &Arc<Self>, state: &mut State) -> std::result::Result<(), ()> {
        let above = self.parent.upgrade().ok_or(())?;
        state.key = above.register(self)?;
        Ok(())
    }

    /// Removes `child` from the registry, if it is still there at `key`.
    fn deregister(&self, key: usize, child: &Arc<Core>) {
        let mut state = self.lock();
        let removed = state.children.remove(key, child);
        // dropped after the lock: a core's drop may log, and reaches its root
        drop(state);
        drop(removed);
    }

    /// Runs the hooks registered with `on_close`, once, with no lock held.
    fn closing(&self) {
        let hooks = self.lock().children.take_on_close();
        for hook in hooks {
            hook();
        }
    }

    /// A scope's root: its parent, or (a nested kind) its outer scope's root.
    fn root(&self) -> Option<Arc<Core>> {
        let mut above = self.parent.upgrade()?;
        while above.role == Role::Scope {
            above = above.parent.upgrade()?;
        }
        Some(above)
    }

    /// A scope of this root has ended.
    fn scope_ended(&self) {
        if self.open_scopes.fetch_sub(1, Ordering::SeqCst) == 1 && self.draining.load(Ordering::SeqCst) {
            self.changed.notify_waiters();
        }
    }
}

/// The disposal bags whose closing makes a container or scope unusable: `[&DisposeBag; N]` (the
/// root has one; a scope two, its own and its root's; a scope of a nested kind also each of its
/// outer scopes').
pub trait Bags: Copy {
    /// `Err(Disposed)` (or `ShuttingDown`, for a scope refused by its root) if any of them is
    /// closed.
    fn open(self) -> crate::Result<()>;
}

impl<const N: usize> Bags for [&DisposeBag; N] {
    /// The error of the first closed bag among them.
    #[inline]
    fn open(self) -> crate::Result<()> {
        match self.into_iter().find(|bag| bag.is_closed()) {
            Some(bag) => Err(bag.closed_error()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
