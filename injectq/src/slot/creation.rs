//! A creation that awaits: its driver, the gate, the deadline, the cycle guard, and the store.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use super::pending::Pending;
use super::{Gate, Held, Job, PlainHold, Slot, this_thread};
use crate::bag::DisposeBag;
use crate::deadline::{Deadline, bounded};
use crate::dispose::Disposer;
use crate::future::BoxFuture;
use crate::{Error, Result};

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

/// The typed part of one creation, as the driver sees it: a [`Typed`] (boxed), or an
/// [`Assembling`].
pub(super) trait Creating: Send {
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
pub(super) type Published = std::result::Result<(), BoxFuture<'static, Error>>;

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
pub(super) fn store<'b, T, U: ?Sized>(
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
pub(super) fn drive<'a, P: Creating + 'a>(job: Job<'a>, typed: P) -> Result<BoxFuture<'a, Result<()>>> {
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
    crate::future::within(building, name)
}

/// The error of a creation of `name` past its deadline.
#[cold]
fn timed_out(name: &'static str, limit: Duration) -> Error {
    Error::timeout(name, limit).within(name)
}

/// [`creating`] for a creation by plain calls: `None` if it cannot be done without awaiting.
pub(super) fn creating_now<T>(
    name: &'static str,
    bag: &DisposeBag,
    now: impl FnOnce() -> Option<Result<T>>,
) -> Option<Result<T>> {
    #[cfg(feature = "tracing")]
    let built = crate::trace::creation_now(name, bag.owner(), now);
    #[cfg(not(feature = "tracing"))]
    let built = {
        let _ = bag;
        now()
    };
    built.map(|built| built.map_err(|e| e.within(name)))
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
