//! Where a singleton or a scoped service lives: a [`Slot`], filled at most once.
//!
//! Only the ready path, the creation by plain calls and the typed part of an awaited creation are
//! generic. What drives an awaited creation (the cycle guard, the gate that makes it exactly once,
//! the deadline, the disposal check and hand-over, the `tracing` span) is one non-generic future
//! that sees the typed part as a trait object, so a container with hundreds of shared services
//! compiles that machinery once, not once per service.
//!
//! Most services are *assembled* (no init hook, and every dependency created once, or a value, a
//! token, a handle: see [`assembled`]): their creation first creates their shared dependencies
//! that are not created yet (by plain calls, nested, where each can be; otherwise awaiting their
//! creations), then builds them by plain calls. Such a creation has no typed future at all: what
//! it awaits and how it finishes are two plain functions, and its driver, when it needs one, is
//! generic in the container only. A chain of them created cold needs no driver at all.
//!
//! A service that can be built without awaiting (no init hook, no async factory, and every
//! dependency ready: see [`Provide::now_ready`](crate::Provide::now_ready)) is created by plain
//! calls under its gate, when the gate is free: no future is boxed and no chain is recorded.
//! Such a creation nests only other creations by plain calls, each under its own gate taken
//! without waiting (see [`Starts::PlainCalls`]): it never waits for another creation, and it cannot be
//! part of a cycle, since the graph check refuses a cycle of dependencies by value.

use std::cell::UnsafeCell;
use std::future::Future;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use crate::__private::BoxFuture;
use crate::bag::DisposeBag;
use crate::deadline::{Deadline, bounded};
use crate::dispose::Disposer;
use crate::gate::{GateGuard, GateLock};
use crate::{Error, Result};

/// One shared instance, created at most once: the value, and the gate its creators pass through.
///
/// A cell of its own rather than a `OnceLock`: the gate already makes its creators take turns, so
/// storing the instance is one plain write and one release store, not a second lock; and the
/// cell's code is not compiled again for every service type.
pub struct Slot<T: ?Sized> {
    /// set (with `Release`) once `value` holds the instance; never unset
    ready: AtomicBool,
    /// how many creations missed their deadline while holding the gate: a creation that waited
    /// for one of them fails too, rather than start the same doomed work again
    timeouts: AtomicU32,
    /// the thread whose creation by plain calls holds the gate now, if one does (see
    /// [`PlainHold`]; 0: none)
    plain_holder: AtomicUsize,
    /// written once, by a creation holding the gate, while `ready` is unset
    value: UnsafeCell<MaybeUninit<Arc<T>>>,
    /// held by the one creation in progress
    gate: GateLock,
}

// SAFETY: a `Slot` shares its `Arc<T>` between threads as `OnceLock<Arc<T>>` does, so it is
// `Sync` on the same condition: the `Arc<T>` can be sent and shared (`T: Send + Sync`). It is
// written by one thread at a time (the gate's holder, see `Held::fill`) and read only after
// `ready` publishes it.
#[allow(unsafe_code)]
unsafe impl<T: ?Sized + Send + Sync> Sync for Slot<T> {}

impl<T: ?Sized> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            ready: AtomicBool::new(false),
            timeouts: AtomicU32::new(0),
            plain_holder: AtomicUsize::new(0),
            value: UnsafeCell::new(MaybeUninit::uninit()),
            gate: GateLock::default(),
        }
    }
}

impl<T: ?Sized> Slot<T> {
    /// The instance, if it has been created.
    #[inline]
    #[allow(unsafe_code)]
    pub fn get(&self) -> Option<&Arc<T>> {
        if self.ready.load(Ordering::Acquire) {
            // SAFETY: `ready` is set only after `value` was written (`Release`, paired with this
            // `Acquire`), and `value` is never written again: `Held::fill` does not write once
            // `ready` is set, and nothing else writes it.
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }

    /// The gate, if no other creation holds it.
    #[cfg(test)]
    fn try_gate(&self) -> Option<Gate<'_>> {
        self.gate.try_lock(&self.ready).map(Gate)
    }
}

impl<T: ?Sized> Drop for Slot<T> {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        if *self.ready.get_mut() {
            // SAFETY: `ready` says `value` was written, and it is dropped only here, once.
            unsafe { self.value.get_mut().assume_init_drop() }
        }
    }
}

/// A slot whose gate this creation holds: the only way to write its value.
struct Held<'b, T: ?Sized> {
    slot: &'b Slot<T>,
    _gate: &'b Gate<'b>,
}

impl<'b, T: ?Sized> Held<'b, T> {
    /// `slot`, whose gate `gate` must be (checked: a gate proves nothing for another slot).
    fn new(slot: &'b Slot<T>, gate: &'b Gate<'b>) -> Self {
        assert!(gate.0.holds(&slot.gate), "a creation stores only in the slot whose gate it holds");
        Held { slot, _gate: gate }
    }

    /// Stores `shared` and lends it, or lends the instance stored already (then `shared` is
    /// dropped): a stored instance is never replaced. A caller that needs its own `Arc` clones
    /// the loan, so that storing costs no clone that is dropped at once.
    #[allow(unsafe_code)]
    fn fill(&self, shared: Arc<T>) -> &'b Arc<T> {
        if let Some(stored) = self.slot.get() {
            return stored;
        }
        // SAFETY: this creation holds the gate, and only a gate holder writes `value`, so no
        // other write races with this one; `ready` is unset (just checked, and only a gate holder
        // sets it), so no reader holds a reference into `value` (`get` hands one out only once
        // `ready` is set) and it holds no instance to leak.
        unsafe { (*self.slot.value.get()).write(shared) };
        self.slot.ready.store(true, Ordering::Release);
        self.slot.get().expect("filled above")
    }
}

/// How a registration's instance is created and disposed: what [`once`] needs besides the slot.
pub struct Creation<'a, T, U: ?Sized, F, R, N> {
    /// the service's name, for errors and spans
    pub name: &'static str,
    /// the container or scope that owns the instance
    pub bag: &'a DisposeBag,
    /// builds the instance (resolving its dependencies)
    pub build: F,
    /// builds the instance without awaiting, if its type can be (`None` where it never can): whether
    /// every dependency is ready, checked before anything is built, and the building itself
    pub now: Option<(R, N)>,
    /// how to dispose an instance, if it must be
    pub disposer: fn(&Arc<T>, &'static str) -> Option<Disposer>,
    /// the stored shape: the identity, or a coercion to a trait object
    pub wrap: fn(Arc<T>) -> Arc<U>,
}

/// The instance in `slot`, created by `creation` the first time, exactly once however many tasks
/// ask at the same time. A failed or cancelled creation leaves the slot empty, and the next caller
/// tries again. A task that asks for a service it is itself creating gets a `Cycle` error instead
/// of waiting for itself.
///
/// With a create timeout (`bag.create_timeout()`), waiting for the gate and building are bounded
/// together: past the deadline the creation is dropped and fails with a `Timeout` error, and so
/// do the creations that were waiting for it (a wait that no chain can see, such as an init hook
/// awaiting a spawned task that resolves the same service, ends there instead of starting over).
///
/// A creation by plain calls allocates only the instance's `Arc`; one that must await also boxes
/// its typed part and its driver (which keeps the futures of deep chains of shared services
/// small), and a link of the chain of creations in progress. An assembled creation (no init
/// hook, no async factory) keeps its typed part in its driver: one allocation less; and it has
/// no driver at all when its dependencies can all be created by plain calls (see `start`).
/// Resolving a created instance allocates nothing.
///
/// Only the ready path and the typed part of a creation (start the building, keep what it built,
/// store it) are compiled per service. What drives an awaited creation (the gate, the cycle guard,
/// the deadline, the disposal check, the `tracing` span) is compiled once, and sees the typed part
/// as a trait object.
pub fn once<'a, T, U, F, Fut, R, N>(slot: &'a Slot<U>, creation: Creation<'a, T, U, F, R, N>) -> Once<'a, U>
where
    T: Send + Sync + 'a,
    U: ?Sized + Send + Sync + 'a,
    F: FnOnce() -> Fut + Send + 'a,
    Fut: Future<Output = Result<T>> + Send + 'a,
    R: FnOnce() -> bool,
    N: FnOnce() -> Option<Result<T>>,
{
    if let Some(v) = slot.get() {
        return Once::Ready(Some(Ok(Arc::clone(v))));
    }
    let Creation { name, bag, build, now, disposer, wrap } = creation;
    let job = slot.job(name, bag);
    // the synchronous creation, when the type allows it and no other creation holds the gate
    // (typed and inline: it is the path of every scoped service that needs nothing awaited)
    if let Some((ready, now)) = now
        && let Some(guard) = slot.gate.try_lock(&slot.ready)
    {
        let gate = Gate(guard);
        let _held = PlainHold::new(job.plain_holder);
        if let Some(settled) = job.settled() {
            return Once::Ready(Some(settled.map(|()| slot.filled()))); // created since the first look, or disposed
        }
        // when a dependency is not ready, nothing is built: the async path below creates it
        if ready()
            && let Some(built) = creating_now(name, bag, now)
        {
            return match built.map(|built| store(Held::new(slot, &gate), built, disposer, wrap, bag, name)) {
                Err(failed) => Once::Ready(Some(Err(failed))),
                Ok(Ok(shared)) => Once::Ready(Some(Ok(Arc::clone(shared)))),
                Ok(Err(refused)) => Once::Refused(refused),
            };
        }
    }
    let typed = Typed { slot, build: Some(build), building: None, built: None, disposer, wrap };
    let typed: Pin<Box<dyn Creating + 'a>> = Box::pin(typed);
    match drive(job, typed) {
        Ok(driving) => Once::Later(slot, driving),
        Err(cycle) => Once::Ready(Some(Err(cycle))),
    }
}

/// The future [`once`] returns: the instance at once (or a cycle refused at once), or its
/// creation, boxed. Small, so that moving it costs nothing, and generic only in the service.
pub enum Once<'a, U: ?Sized> {
    /// done (or refused at once)
    Ready(Option<Result<Arc<U>>>),
    /// still to be done, by this future or by another one it waits for: done when the slot is
    /// filled
    Later(&'a Slot<U>, BoxFuture<'a, Result<()>>),
    /// created by plain calls while its owner was being disposed: disposed at once, then refused
    Refused(BoxFuture<'static, Error>),
}

impl<U: ?Sized> Future for Once<'_, U> {
    type Output = Result<Arc<U>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Once::Ready(ready) => Poll::Ready(ready.take().expect("a resolution polled after it completed")),
            Once::Later(slot, later) => later.as_mut().poll(cx).map(|done| done.map(|()| slot.filled())),
            Once::Refused(refused) => refused.as_mut().poll(cx).map(Err),
        }
    }
}

impl<'a, U: ?Sized> Once<'a, U> {
    /// What is still to be awaited before the instance exists: `None` once it does.
    #[inline]
    pub fn pending(self) -> Option<Pending<'a>> {
        match self {
            Once::Ready(Some(Ok(_)) | None) => None,
            Once::Ready(Some(Err(failed))) => Some(Pending::Failed(Some(failed))),
            Once::Later(_, later) => Some(Pending::Later(later)),
            Once::Refused(refused) => Some(Pending::Refused(refused)),
        }
    }
}

/// What a `pending` (see [`Provide::pending`](crate::Provide::pending)) may start for a shared
/// service that is not created yet. It is an argument, never a mode of the thread: the user code
/// that a creation runs (a constructor, a sync factory) resolves as anywhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Starts {
    /// its creation, by plain calls where it can be, or else its driver: for what is awaited
    Drivers,
    /// only a creation by plain calls: one that would have to await (a dependency that must be
    /// awaited, a gate another creation holds) is not started and is [`Pending::NotNow`]; for
    /// `get`, and for an assembled creation that creates its dependencies before itself
    PlainCalls,
}

/// The creation of a shared service that another one waits for before it can be built by plain
/// calls (an assembled one): its failure, or its driver. Not generic, whatever the service.
pub enum Pending<'a> {
    /// failed at once (a cycle, a disposed owner, a failed creation by plain calls)
    Failed(Option<Error>),
    /// the creation's driver: done when the instance is stored
    Later(BoxFuture<'a, Result<()>>),
    /// created by plain calls while its owner was being disposed: disposed, then refused
    Refused(BoxFuture<'static, Error>),
    /// not started, because it would have had to await and only creations by plain calls were
    /// asked for ([`Starts::PlainCalls`]): the error that `get` returns for it. Never awaited: only
    /// a driver awaits what `pending` gives, and it asks for [`Starts::Drivers`]
    NotNow(Error),
}

impl<'a> Pending<'a> {
    /// The same, its failure seen from `service`, which needs it (a transient on the way from the
    /// service that awaits it: its error's path then names it).
    pub fn within(self, service: &'static str) -> Pending<'a> {
        match self {
            Pending::Failed(failed) => Pending::Failed(failed.map(|e| e.within(service))),
            Pending::Later(later) => Pending::Later(Box::pin(crate::mapped::mapped(later, move |r: Result<()>| {
                r.map_err(|e| e.within(service))
            }))),
            Pending::Refused(refused) => {
                Pending::Refused(Box::pin(crate::mapped::mapped(refused, move |e: Error| e.within(service))))
            }
            Pending::NotNow(not_ready) => Pending::NotNow(not_ready.within(service)),
        }
    }
}

/// A service's `pending` (see [`Provide::pending`](crate::Provide::pending)), as a function.
pub(crate) type PendingFn<C> = for<'c> fn(&'c C, Starts) -> Option<Pending<'c>>;

/// Awaits, one after the other, the creations that `pending` hands out, until it has none left:
/// `waiting` is the one awaited now. Generic in the container only.
fn settle<'a, C>(
    c: &'a C,
    pending: PendingFn<C>,
    waiting: &mut Option<Pending<'a>>,
    cx: &mut Context<'_>,
) -> Poll<Result<()>> {
    loop {
        if let Some(awaited) = waiting {
            let created = std::task::ready!(Pin::new(awaited).poll(cx));
            *waiting = None;
            created?;
        }
        match pending(c, Starts::Drivers) {
            Some(next) => *waiting = Some(next),
            None => return Poll::Ready(Ok(())),
        }
    }
}

/// A transient that settles (see [`Transient::SETTLES`](crate::registry::Transient::SETTLES)) whose shared
/// dependencies are not all created yet: awaits their creations, then builds it by plain calls
/// with `now`. Boxed, as a transient's building is; nothing of it is `async`.
pub(crate) fn settling<'a, C: Sync, T: 'a>(
    c: &'a C,
    pending: PendingFn<C>,
    now: fn(&C, &mut Option<Error>) -> Option<T>,
) -> BoxFuture<'a, Result<T>> {
    Box::pin(Settling { c, pending, now, waiting: None })
}

/// The future [`settling`] returns.
struct Settling<'a, C, T> {
    c: &'a C,
    pending: PendingFn<C>,
    now: fn(&C, &mut Option<Error>) -> Option<T>,
    waiting: Option<Pending<'a>>,
}

impl<C, T> Future for Settling<'_, C, T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        std::task::ready!(settle(this.c, this.pending, &mut this.waiting, cx))?;
        // every shared dependency is created, and nothing else in the graph must be awaited
        // (`Transient::SETTLES`)
        let c = this.c;
        let built = crate::provide::now_result(|failed| (this.now)(c, failed));
        Poll::Ready(built.expect("a transient that settles is built by plain calls once settled"))
    }
}

impl Future for Pending<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        match self.get_mut() {
            Pending::Failed(failed) => {
                Poll::Ready(Err(failed.take().expect("a pending creation polled after it failed")))
            }
            Pending::Later(later) => later.as_mut().poll(cx),
            Pending::Refused(refused) => refused.as_mut().poll(cx).map(Err),
            Pending::NotNow(_) => unreachable!("only a driver awaits a creation, and it starts drivers"),
        }
    }
}

/// How a service whose dependencies can all be had without awaiting (once the shared ones among
/// them are created) is created: nothing of it is `async`. Its creation first awaits each shared
/// dependency that is not created yet, one after the other, as `pending` hands them out; then it
/// builds the service by plain calls and stores it, with `finish`.
pub(crate) struct Assembly<C> {
    /// the service's name, for errors and spans
    pub(crate) name: &'static str,
    /// whether every dependency can be had now (checked before anything is built)
    pub(crate) ready: fn(&C) -> bool,
    /// the creation of the first shared dependency that is not created yet, if any
    pub(crate) pending: PendingFn<C>,
    /// builds the service by plain calls and stores it in its slot, whose gate is held
    pub(crate) finish: for<'c, 'g> fn(&'c C, &Gate<'g>) -> Finished,
}

/// What building a service by plain calls, under its slot's gate, did.
pub(crate) enum Finished {
    /// a dependency could not be had without awaiting: nothing was built
    NotNow,
    /// the building failed
    Failed(Error),
    /// the instance is in its slot
    Stored,
    /// built while its owner was being disposed: the future that disposes it and gives the error
    Refused(BoxFuture<'static, Error>),
}

/// Builds an instance by plain calls with `now`, and stores it in `slot`, whose gate is `gate`
/// (see [`Assembly::finish`]): the only part of an assembled creation that is typed.
#[inline]
pub(crate) fn finish<T, U: ?Sized>(
    slot: &Slot<U>,
    gate: &Gate<'_>,
    now: impl FnOnce() -> Option<Result<T>>,
    disposer: fn(&Arc<T>, &'static str) -> Option<Disposer>,
    wrap: fn(Arc<T>) -> Arc<U>,
    bag: &DisposeBag,
    name: &'static str,
) -> Finished {
    match now() {
        None => Finished::NotNow,
        Some(Err(failed)) => Finished::Failed(failed),
        Some(Ok(built)) => match store(Held::new(slot, gate), built, disposer, wrap, bag, name) {
            Ok(_) => Finished::Stored,
            Err(refused) => Finished::Refused(refused),
        },
    }
}

/// [`once`] for a service created as [`Assembly`] says: the same guarantees (exactly once, the
/// cycle guard, the deadline, the disposal check). Only the ready path is generic in the stored
/// type; the rest ([`start`]) only in the container.
#[inline]
pub(crate) fn assembled<'a, C, U>(
    slot: &'a Slot<U>,
    c: &'a C,
    bag: &'a DisposeBag,
    assembly: &'static Assembly<C>,
) -> Once<'a, U>
where
    C: Sync,
    U: ?Sized + Send + Sync + 'a,
{
    match assembled_pending(slot, c, bag, assembly, Starts::Drivers) {
        None => Once::Ready(Some(Ok(slot.filled()))),
        Some(Pending::Failed(failed)) => Once::Ready(failed.map(Err)),
        Some(Pending::Later(later)) => Once::Later(slot, later),
        Some(Pending::Refused(refused)) => Once::Refused(refused),
        Some(Pending::NotNow(_)) => unreachable!("a driver is started, never `NotNow`"),
    }
}

/// [`assembled`], for a service that another one waits for: `None` once it is created.
#[inline]
pub(crate) fn assembled_pending<'a, C, U>(
    slot: &'a Slot<U>,
    c: &'a C,
    bag: &'a DisposeBag,
    assembly: &'static Assembly<C>,
    starts: Starts,
) -> Option<Pending<'a>>
where
    C: Sync,
    U: ?Sized,
{
    if slot.get().is_some() {
        return None;
    }
    start(slot.job(assembly.name, bag), c, assembly, starts)
}

/// Starts an assembled creation: by plain calls, when the gate is free and every dependency is
/// ready, or can be created by plain calls first (`None`: stored); otherwise its driver, which
/// awaits the dependencies' creations (nested in this one, so that a cycle through them is seen),
/// then finishes. The first part is inlined into the service's ready path, where the assembly's
/// table is a constant, so that its calls are direct (measured: a scope cycle of three creations
/// took 2346 instructions with the calls through pointers, 2229 inlined, and the release build was
/// no slower); the driver is not.
///
/// The dependencies are created by plain calls only ([`Starts::PlainCalls`]): a creation nested in
/// it that would have to await is not started (it is [`Pending::NotNow`]), so that it is started
/// by this creation's driver instead, nested in it, where the cycle guard sees the chain. A chain
/// of assembled singletons created cold is thus created by nested plain calls, with no driver
/// at all; it is acyclic, since the graph check refuses a cycle of dependencies by value. Asked
/// for plain calls only itself (`starts`), it starts no driver either.
#[inline(always)]
fn start<'a, C: Sync>(job: Job<'a>, c: &'a C, assembly: &'static Assembly<C>, starts: Starts) -> Option<Pending<'a>> {
    let (name, bag) = (job.name, job.bag);
    let Assembly { ready, pending, finish, .. } = *assembly;
    let mut waiting = None;
    if let Some(guard) = job.gate.try_lock(job.ready) {
        let gate = Gate(guard);
        let _held = PlainHold::new(job.plain_holder);
        if let Some(settled) = job.settled() {
            return settled.err().map(|failed| Pending::Failed(Some(failed)));
        }
        if ready(c) || dependencies_now(c, pending, &mut waiting) {
            match finishing_now(name, bag, || finish(c, &gate)) {
                Finished::Stored => return None,
                Finished::Failed(failed) => return Some(Pending::Failed(Some(failed))),
                Finished::Refused(refused) => return Some(Pending::Refused(refused)),
                Finished::NotNow => {}
            }
        }
    }
    if starts == Starts::PlainCalls {
        // no driver: what a dependency gave (its failure, its refusal, or that it must be
        // awaited), seen from this creation; or the gate, held by another creation
        return Some(match waiting {
            Some(given) => given.within(name),
            None => Pending::NotNow(Error::not_ready(name)),
        });
    }
    if let Some(Pending::NotNow(_)) = waiting {
        waiting = None;
    }
    later(job, c, pending, finish, waiting)
}

/// Creates the dependencies of an assembled service that are not created yet, by plain calls
/// (see [`start`]): whether they all are now. If one failed or was refused, that is `waiting`,
/// for the driver to hand on as it would have; if one would have had to await, it was not
/// started, and `waiting` is its `NotNow`. One started as a driver outside the asking creation's
/// chain is dropped unpolled, and the driver starts it again.
#[cold]
#[inline(never)]
fn dependencies_now<'a, C>(c: &'a C, pending: PendingFn<C>, waiting: &mut Option<Pending<'a>>) -> bool {
    match pending(c, Starts::PlainCalls) {
        None => true,
        Some(Pending::Later(_)) => false,
        Some(other) => {
            *waiting = Some(other);
            false
        }
    }
}

/// The driver of an assembled creation (see [`start`]), which first awaits `waiting`, if any.
fn later<'a, C: Sync>(
    job: Job<'a>,
    c: &'a C,
    pending: PendingFn<C>,
    finish: for<'c, 'g> fn(&'c C, &Gate<'g>) -> Finished,
    waiting: Option<Pending<'a>>,
) -> Option<Pending<'a>> {
    let part = Assembling { c, pending, finish, waiting, refused: None };
    Some(match drive(job, part) {
        Ok(driving) => Pending::Later(driving),
        Err(cycle) => Pending::Failed(Some(cycle)),
    })
}

/// The typed part of an assembled creation, as the driver sees it: generic in the container
/// only, so one serves every service of a container.
struct Assembling<'a, C> {
    c: &'a C,
    pending: PendingFn<C>,
    finish: for<'c, 'g> fn(&'c C, &Gate<'g>) -> Finished,
    /// the dependency's creation awaited now
    waiting: Option<Pending<'a>>,
    /// what was built while the owner was being disposed, for `publish`
    refused: Option<BoxFuture<'static, Error>>,
}

impl<C: Sync> Creating for Assembling<'_, C> {
    fn poll_build(self: Pin<&mut Self>, cx: &mut Context<'_>, gate: &Gate<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        std::task::ready!(settle(this.c, this.pending, &mut this.waiting, cx))?;
        Poll::Ready(match (this.finish)(this.c, gate) {
            Finished::Stored => Ok(()),
            Finished::Failed(failed) => Err(failed),
            Finished::Refused(refused) => {
                this.refused = Some(refused);
                Ok(())
            }
            // every shared dependency is created (`pending` says so), and an assembled service
            // needs nothing else that must be awaited (`Shared::ASSEMBLED`)
            Finished::NotNow => unreachable!("a dependency of an assembled service could not be had once created"),
        })
    }

    fn publish(self: Pin<&mut Self>, _: &Gate<'_>, _: &DisposeBag, _: &'static str) -> Published {
        self.get_mut().refused.take().map_or(Ok(()), Err)
    }
}

impl<T: ?Sized> Slot<T> {
    /// What a creation's driver knows of this slot.
    #[inline]
    fn job<'a>(&'a self, name: &'static str, bag: &'a DisposeBag) -> Job<'a> {
        Job {
            gate: &self.gate,
            ready: &self.ready,
            timeouts: &self.timeouts,
            plain_holder: &self.plain_holder,
            name,
            bag,
        }
    }

    /// The instance of a slot that a creation filled (or found filled): a filled slot stays so.
    fn filled(&self) -> Arc<T> {
        Arc::clone(self.get().expect("a creation that succeeded filled its slot"))
    }
}

/// What a creation's driver knows of its service: the slot's untyped parts, its name, its owner.
struct Job<'a> {
    gate: &'a GateLock,
    ready: &'a AtomicBool,
    timeouts: &'a AtomicU32,
    plain_holder: &'a AtomicUsize,
    name: &'static str,
    bag: &'a DisposeBag,
}

impl Job<'_> {
    /// What a creation that holds the gate finds before building: done if another creation stored
    /// the instance meanwhile, the error of a disposed owner, or `None`: build it.
    #[inline]
    fn settled(&self) -> Option<Result<()>> {
        if self.ready.load(Ordering::Acquire) {
            return Some(Ok(()));
        }
        disposed(self.bag, self.name).map(Err)
    }
}

/// The thread this code runs on, as a number that is never 0: the address of a thread-local.
fn this_thread() -> usize {
    std::thread_local! {
        static MARK: u8 = const { 0 };
    }
    MARK.with(|mark| std::ptr::from_ref(mark) as usize)
}

/// A slot's gate, taken by a creation by plain calls on this thread: marked so until dropped
/// (also by a panic). Such a creation never yields, so a wait for its gate from this same thread
/// can only come from the code it runs (a sync factory that blocks on a resolve of the service
/// it creates): that wait would never end, and [`driving`] refuses it as a cycle instead.
struct PlainHold<'a>(&'a AtomicUsize);

impl<'a> PlainHold<'a> {
    fn new(holder: &'a AtomicUsize) -> Self {
        // read only by this thread (no other thread has its mark): program order suffices
        holder.store(this_thread(), Ordering::Relaxed);
        PlainHold(holder)
    }
}

impl Drop for PlainHold<'_> {
    fn drop(&mut self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

/// The gate of a slot, held: what a creation must show to store an instance in that slot.
pub(crate) struct Gate<'a>(GateGuard<'a>);

/// The typed part of one creation, as the driver sees it: a [`Typed`] (boxed), or an
/// [`Assembling`].
trait Creating: Send {
    /// Builds the instance (started at the first poll) and keeps it; `gate` is the slot's, held.
    fn poll_build(self: Pin<&mut Self>, cx: &mut Context<'_>, gate: &Gate<'_>) -> Poll<Result<()>>;
    /// Stores what was built in the slot, whose gate `gate` is, after handing its disposer to
    /// `bag`; or, if the bag refuses it, the future that disposes it and gives the error.
    fn publish(self: Pin<&mut Self>, gate: &Gate<'_>, bag: &DisposeBag, name: &'static str) -> Published;
}

/// A boxed typed part: what drives every awaited creation that is not assembled.
impl Creating for Pin<Box<dyn Creating + '_>> {
    fn poll_build(self: Pin<&mut Self>, cx: &mut Context<'_>, gate: &Gate<'_>) -> Poll<Result<()>> {
        self.get_mut().as_mut().poll_build(cx, gate)
    }

    fn publish(self: Pin<&mut Self>, gate: &Gate<'_>, bag: &DisposeBag, name: &'static str) -> Published {
        self.get_mut().as_mut().publish(gate, bag, name)
    }
}

/// What [`Creating::publish`] did: stored it, or the refusal to await.
type Published = std::result::Result<(), BoxFuture<'static, Error>>;

pin_project_lite::pin_project! {
    /// A creation's typed part: how to build the instance, the building, what it built, and how
    /// it is disposed and stored.
    struct Typed<'a, T, U: ?Sized, F, Fut> {
        slot: &'a Slot<U>,
        build: Option<F>,
        #[pin]
        building: Option<Fut>,
        built: Option<T>,
        disposer: fn(&Arc<T>, &'static str) -> Option<Disposer>,
        wrap: fn(Arc<T>) -> Arc<U>,
    }
}

impl<'a, T, U, F, Fut> Creating for Typed<'a, T, U, F, Fut>
where
    T: Send + Sync + 'a,
    U: ?Sized + Send + Sync + 'a,
    F: FnOnce() -> Fut + Send + 'a,
    Fut: Future<Output = Result<T>> + Send + 'a,
{
    fn poll_build(self: Pin<&mut Self>, cx: &mut Context<'_>, _: &Gate<'_>) -> Poll<Result<()>> {
        let mut this = self.project();
        // through the pin: a shared borrow of the whole `Option` would retag the future, which may
        // hold `&mut` into itself across an await (Stacked Borrows reports that)
        if this.building.as_mut().as_pin_mut().is_none() {
            let build = this.build.take().expect("a creation builds once");
            this.building.set(Some(build()));
        }
        let building = this.building.as_mut().as_pin_mut().expect("started above");
        let built = std::task::ready!(building.poll(cx));
        this.building.set(None);
        Poll::Ready(built.map(|built| *this.built = Some(built)))
    }

    fn publish(self: Pin<&mut Self>, gate: &Gate<'_>, bag: &DisposeBag, name: &'static str) -> Published {
        let this = self.project();
        let built = this.built.take().expect("stored once, after it was built");
        // the caller takes its own clone from the slot
        store(Held::new(this.slot, gate), built, *this.disposer, *this.wrap, bag, name).map(drop)
    }
}

/// Stores `built` in the slot `held`, after handing its disposer to `bag`; or, if the bag refuses
/// it (it is being disposed), the future that disposes it and gives the creation's error.
#[inline(always)]
fn store<'b, T, U: ?Sized>(
    held: Held<'b, U>,
    built: T,
    disposer: fn(&Arc<T>, &'static str) -> Option<Disposer>,
    wrap: fn(Arc<T>) -> Arc<U>,
    bag: &DisposeBag,
    name: &'static str,
) -> std::result::Result<&'b Arc<U>, BoxFuture<'static, Error>> {
    let built = Arc::new(built);
    if let Some(disposer) = disposer(&built, name)
        && let Some(refused) = adopt(bag, name, disposer)
    {
        return Err(refused);
    }
    Ok(held.fill(wrap(built)))
}

/// The creation that awaits: its driver, boxed, with its chain for the cycle guard; or the
/// `Cycle` error of a task that asks for a service it is itself creating.
///
/// Generic in the typed part: an awaited creation's typed part is boxed (one driver serves every
/// such service), and an assembled creation's, which is generic in the container only, lives in
/// its driver (one allocation less per creation, one driver per container).
fn drive<'a, P: Creating + 'a>(job: Job<'a>, typed: P) -> Result<BoxFuture<'a, Result<()>>> {
    let target = (std::ptr::from_ref(job.gate).cast::<()>() as usize, job.name);
    let (chain, from) = crate::constructing::begin(target)?;
    Ok(Box::pin(crate::constructing::Guarded::new(chain, driving(job, typed, from, target))))
}

/// The driver of a creation that awaits: take the gate (or fail past the deadline), find it
/// created or its owner disposed, or build and store it.
async fn driving<'a, P: Creating + 'a>(
    job: Job<'a>,
    typed: P,
    from: Option<crate::constructing::Entry>,
    target: crate::constructing::Entry,
) -> Result<()> {
    let mut typed = std::pin::pin!(typed);
    let Job { gate, ready, timeouts, plain_holder, name, bag } = job;
    if plain_holder.load(Ordering::Relaxed) == this_thread() {
        // this thread is inside that creation, which runs the code that asks (a sync factory
        // blocking on a resolve of the service it creates): the wait would never end
        return Err(Error::cycle(name, vec![name, name]));
    }
    let mut deadline = Deadline::start(bag.create_timeout());
    let seen = timeouts.load(Ordering::Acquire);
    let waiting = crate::constructing::acquire(gate, ready, || bag.waits(), from, target);
    let Some(guard) = bounded(deadline.as_mut(), waiting).await.map_err(|limit| timed_out(name, limit))?? else {
        return Ok(()); // another task created it while this one waited
    };
    let held = Gate(guard);
    if let Some(settled) = job.settled() {
        return settled; // another task created it while this one waited, or disposed
    }
    if timeouts.load(Ordering::Acquire) != seen {
        // the creation this one waited for missed its deadline
        return Err(timed_out(name, deadline.as_ref().map_or(Duration::ZERO, Deadline::limit)));
    }
    match bounded(deadline.as_mut(), creating(name, bag, Building(typed.as_mut(), &held))).await {
        Ok(built) => built?,
        Err(limit) => {
            // counted before the gate is released, so every waiter sees it
            timeouts.fetch_add(1, Ordering::Release);
            return Err(timed_out(name, limit));
        }
    }
    match typed.as_mut().publish(&held, bag, name) {
        Ok(()) => Ok(()),
        Err(refused) => Err(refused.await),
    }
}

/// The building of a creation's typed part, under the slot's gate, as a future.
struct Building<'s, 'a, 'g>(Pin<&'s mut (dyn Creating + 'a)>, &'s Gate<'g>);

impl Future for Building<'_, '_, '_> {
    type Output = Result<()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let gate = self.1;
        self.0.as_mut().poll_build(cx, gate)
    }
}

/// The building of `name`, in a `tracing` span with the feature, and with `name` on the error path
/// of a failure.
fn creating<'s, 'a, 'g>(
    name: &'static str,
    bag: &DisposeBag,
    building: Building<'s, 'a, 'g>,
) -> impl Future<Output = Result<()>> + use<'s, 'a, 'g> {
    #[cfg(feature = "tracing")]
    let building = crate::trace::creation(name, bag.owner(), building);
    #[cfg(not(feature = "tracing"))]
    let _ = bag;
    crate::__private::within(building, name)
}

/// The error of a creation whose owner is disposed (or being disposed), if it is.
fn disposed(bag: &DisposeBag, name: &'static str) -> Option<Error> {
    bag.is_closed().then(|| bag.closed_error().within(name))
}

/// The error of a creation of `name` past its deadline.
#[cold]
fn timed_out(name: &'static str, limit: Duration) -> Error {
    Error::timeout(name, limit).within(name)
}

/// [`creating`] for a creation by plain calls: `None` if it cannot be done without awaiting.
fn creating_now<T>(name: &'static str, bag: &DisposeBag, now: impl FnOnce() -> Option<Result<T>>) -> Option<Result<T>> {
    #[cfg(feature = "tracing")]
    let built = crate::trace::creation_now(name, bag.owner(), now);
    #[cfg(not(feature = "tracing"))]
    let built = {
        let _ = bag;
        now()
    };
    built.map(|built| built.map_err(|e| e.within(name)))
}

/// [`creating_now`] for an assembled creation, which builds and stores in one step.
#[inline]
fn finishing_now(name: &'static str, bag: &DisposeBag, finish: impl FnOnce() -> Finished) -> Finished {
    let finished = creating_now(name, bag, || match finish() {
        Finished::NotNow => None,
        Finished::Failed(failed) => Some(Err(failed)),
        done => Some(Ok(done)),
    });
    match finished {
        None => Finished::NotNow,
        Some(Err(failed)) => Finished::Failed(failed),
        Some(Ok(done)) => done,
    }
}

/// Hands `disposer` to `bag`. An instance whose creation finishes while the bag is being disposed
/// is refused, so no disposer is lost: then the future returned disposes it and gives the error
/// that the creation fails with.
fn adopt(bag: &DisposeBag, name: &'static str, disposer: Disposer) -> Option<BoxFuture<'static, Error>> {
    let refused = bag.push(disposer).err()?;
    let (owner, error) = (bag.owner(), bag.refusal().within(name));
    // it was never handed out: its work was cut short
    let disposing = refused.start(crate::Outcome::Cancelled, bag.dispose_timeout());
    // boxed: this rare path's state would otherwise be carried by every creation
    Some(Box::pin(async move {
        if let Err(failure) = disposing.await {
            tracing::error!(target: "injectq", %failure, "disposing `{name}`, created while `{owner}` was being disposed");
        }
        error
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{Held, Slot};

    /// Counts its drops in the counter it holds.
    struct Counted(Arc<AtomicUsize>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_slot_keeps_its_first_instance_and_drops_it_once_with_itself() {
        let drops = Arc::new(AtomicUsize::new(0));
        let slot = Slot::<Counted>::default();
        assert!(slot.get().is_none());
        let gate = slot.try_gate().expect("a free gate");
        let first = Arc::clone(Held::new(&slot, &gate).fill(Arc::new(Counted(Arc::clone(&drops)))));
        drop(gate);
        assert!(Arc::ptr_eq(slot.get().expect("filled"), &first));
        // a second fill never replaces the stored instance: it gets it back, and its own is dropped
        let gate = slot.try_gate().expect("a free gate");
        let again = Arc::clone(Held::new(&slot, &gate).fill(Arc::new(Counted(Arc::clone(&drops)))));
        drop(gate);
        assert!(Arc::ptr_eq(&again, &first));
        assert_eq!(drops.load(Ordering::SeqCst), 1, "the refused instance is dropped");
        drop((first, again));
        assert_eq!(drops.load(Ordering::SeqCst), 1, "the slot still holds its instance");
        drop(slot);
        assert_eq!(drops.load(Ordering::SeqCst), 2, "dropping the slot drops its instance");
    }

    #[test]
    #[should_panic(expected = "a creation stores only in the slot whose gate it holds")]
    fn the_gate_of_one_slot_cannot_fill_another() {
        let (one, other) = (Slot::<u8>::default(), Slot::<u8>::default());
        let gate = one.try_gate().expect("a free gate");
        Held::new(&other, &gate).fill(Arc::new(1));
    }

    /// A future that is pending once (waking itself), then ready.
    struct YieldOnce(bool);

    impl std::future::Future for YieldOnce {
        type Output = ();

        fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
            if std::mem::replace(&mut self.0, true) {
                return std::task::Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }

    /// An awaited creation whose building borrows itself across an await, as an init hook's
    /// `&mut self` does: polled through its driver to the end, it is stored once. Under Miri's
    /// default model (Stacked Borrows), the driver must not borrow the building future as a
    /// whole while it is alive (`cargo +nightly miri test -p injectq --lib slot::`).
    #[test]
    fn an_awaited_creation_that_borrows_itself_is_stored_once() {
        let slot = Slot::<u8>::default();
        let bag = crate::bag::DisposeBag::root("App", "AppScope");
        let creation = super::Creation {
            name: "Counter",
            bag: &bag,
            build: || async {
                let mut count = 0u8;
                let borrowed = &mut count; // lives across the await, inside the future
                YieldOnce(false).await;
                *borrowed += 1;
                Ok(count)
            },
            now: None::<(fn() -> bool, fn() -> Option<crate::Result<u8>>)>,
            disposer: |_, _| None,
            wrap: |built| built,
        };
        let mut once = std::pin::pin!(super::once(&slot, creation));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let created = (0..10)
            .find_map(|_| match once.as_mut().poll(&mut cx) {
                std::task::Poll::Ready(created) => Some(created),
                std::task::Poll::Pending => None,
            })
            .expect("created within ten polls");
        assert_eq!(*created.expect("no failure"), 1);
        assert_eq!(slot.get().map(|v| **v), Some(1), "stored in its slot");
    }

    /// An empty slot's drop must not touch its uninitialised value: only Miri sees that it does
    /// not (`cargo +nightly miri test -p injectq --lib slot::`), so plain `cargo test` skips it.
    #[test]
    #[cfg_attr(not(miri), ignore = "meaningful under Miri only")]
    fn an_empty_slot_drops_nothing() {
        drop(Slot::<Counted>::default());
    }

    #[test]
    fn threads_racing_to_fill_and_read_a_slot_all_see_one_instance() {
        for _ in 0..200 {
            let drops = Arc::new(AtomicUsize::new(0));
            let slot = Slot::<Counted>::default();
            let seen: Vec<usize> = std::thread::scope(|s| {
                let racers: Vec<_> = (0..8)
                    .map(|_| {
                        s.spawn(|| {
                            loop {
                                if let Some(stored) = slot.get() {
                                    break Arc::as_ptr(stored) as usize;
                                }
                                // as a creation does: under the gate, look again before building
                                if let Some(gate) = slot.try_gate() {
                                    let shared = match slot.get() {
                                        Some(stored) => Arc::clone(stored),
                                        None => Arc::clone(
                                            Held::new(&slot, &gate).fill(Arc::new(Counted(Arc::clone(&drops)))),
                                        ),
                                    };
                                    break Arc::as_ptr(&shared) as usize;
                                }
                                std::hint::spin_loop();
                            }
                        })
                    })
                    .collect();
                racers.into_iter().map(|r| r.join().expect("no panic")).collect()
            });
            assert!(seen.iter().all(|p| *p == seen[0]), "every thread saw the same instance: {seen:?}");
            assert_eq!(drops.load(Ordering::SeqCst), 0, "one instance was built, and it is still stored");
            drop(slot);
            assert_eq!(drops.load(Ordering::SeqCst), 1);
        }
    }
}
