//! Where a singleton or a scoped service lives: a [`Slot`], filled at most once.
//!
//! Only the ready path and a small typed creation future are generic. Everything else a creation
//! needs (the cycle guard, the gate that makes it exactly once, the disposal check and hand-over,
//! the `tracing` span) is in non-generic functions that the creation calls, so a container with
//! hundreds of shared services compiles that machinery once, not once per service.
//!
//! A service that can be built without awaiting (no init hook, no async factory, and every
//! dependency ready: see [`Provide::now_ready`](crate::Provide::now_ready)) is created by plain
//! calls under its gate, when the gate is free: no future is boxed and no chain is recorded.
//! Such a creation cannot nest another one (its shared dependencies are created already), so it
//! can neither wait for another creation nor be part of a cycle.

use std::future::Future;
use std::sync::{Arc, OnceLock};

use crate::__private::{BoxFuture, open};
use crate::dispose::{DisposeBag, Disposer};
use crate::{Error, Result};

/// One shared instance, created at most once: the value, and the gate its creators pass through.
pub struct Slot<T: ?Sized> {
    value: OnceLock<Arc<T>>,
    /// held by the one creation in progress
    gate: futures_util::lock::Mutex<()>,
}

impl<T: ?Sized> Default for Slot<T> {
    fn default() -> Self {
        Slot { value: OnceLock::new(), gate: futures_util::lock::Mutex::new(()) }
    }
}

impl<T: ?Sized> Slot<T> {
    /// The instance, if it has been created.
    pub fn get(&self) -> Option<&Arc<T>> {
        self.value.get()
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
/// A creation by plain calls allocates only the instance's `Arc`; one that must await also boxes
/// its future (which keeps the futures of deep chains of shared services small). Resolving a
/// created instance allocates nothing.
pub fn once<'a, T, U, F, Fut, R, N>(slot: &'a Slot<U>, creation: Creation<'a, T, U, F, R, N>) -> Shared<'a, U>
where
    T: Send + Sync + 'a,
    U: ?Sized + Send + Sync + 'a,
    F: FnOnce() -> Fut + Send + 'a,
    Fut: Future<Output = Result<T>> + Send + 'a,
    R: FnOnce() -> bool,
    N: FnOnce() -> Option<Result<T>>,
{
    if let Some(v) = slot.value.get() {
        return Shared::Ready(Some(Ok(Arc::clone(v))));
    }
    let Creation { name, bag, build, now, disposer, wrap } = creation;
    let (gate, value) = (&slot.gate, &slot.value);
    // the synchronous creation, when the type allows it and no other creation holds the gate
    if let Some((ready, now)) = now
        && let Some(_held) = gate.try_lock()
    {
        if let Some(settled) = settled(value, bag, name) {
            return Shared::Ready(Some(settled)); // created since the first look, or disposed
        }
        // when a dependency is not ready, nothing is built: the async path below creates it
        if ready()
            && let Some(built) = creating_now(name, bag, now)
        {
            return match built.map(|built| publish(value, built, bag, name, disposer, wrap)) {
                Err(failed) => Shared::Ready(Some(Err(failed))),
                Ok(Ok(shared)) => Shared::Ready(Some(Ok(shared))),
                Ok(Err(refused)) => Shared::Refused(refused),
            };
        }
    }
    let target = (std::ptr::from_ref(gate).cast::<()>() as usize, name);
    let (chain, from) = match crate::constructing::begin(target) {
        Ok(begun) => begun,
        Err(cycle) => return Shared::Ready(Some(Err(cycle))),
    };
    // the typed part of a creation; what is not typed is in non-generic functions
    let creating = async move {
        let _held = crate::constructing::acquire(gate, from, target).await?;
        if let Some(settled) = settled(value, bag, name) {
            return settled; // another task created it while this one waited, or disposed
        }
        let built = creating(name, bag, build()).await?;
        match publish(value, built, bag, name, disposer, wrap) {
            Ok(shared) => Ok(shared),
            Err(refused) => Err(refused.await),
        }
    };
    Shared::Later(Box::pin(crate::constructing::Guarded::new(chain, creating)))
}

/// The future [`once`] returns: the instance at once (or a cycle refused at once), or its
/// creation, boxed. Small, so that moving it costs nothing, and generic only in the service.
pub enum Shared<'a, U: ?Sized> {
    /// done (or refused at once)
    Ready(Option<Result<Arc<U>>>),
    /// still to be done, by this future or by another one it waits for
    Later(BoxFuture<'a, Result<Arc<U>>>),
    /// created by plain calls while its owner was being disposed: disposed at once, then refused
    Refused(BoxFuture<'static, Error>),
}

impl<U: ?Sized> Future for Shared<'_, U> {
    type Output = Result<Arc<U>>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        match self.get_mut() {
            Shared::Ready(ready) => {
                std::task::Poll::Ready(ready.take().expect("a resolution polled after it completed"))
            }
            Shared::Later(later) => later.as_mut().poll(cx),
            Shared::Refused(refused) => refused.as_mut().poll(cx).map(Err),
        }
    }
}

/// The building of `name`, in a `tracing` span with the feature, and with `name` on the error path
/// of a failure.
fn creating<T>(
    name: &'static str,
    bag: &DisposeBag,
    building: impl Future<Output = Result<T>>,
) -> impl Future<Output = Result<T>> {
    #[cfg(feature = "tracing")]
    let building = crate::trace::creation(name, bag.owner(), building);
    #[cfg(not(feature = "tracing"))]
    let _ = bag;
    crate::__private::within(building, name)
}

/// What a creation that holds the gate finds before building: the instance another creation
/// stored meanwhile, or the error of a disposed owner. `None`: build it.
#[inline]
fn settled<U: ?Sized>(value: &OnceLock<Arc<U>>, bag: &DisposeBag, name: &'static str) -> Option<Result<Arc<U>>> {
    if let Some(v) = value.get() {
        return Some(Ok(Arc::clone(v)));
    }
    open([bag, bag]).err().map(|disposed| Err(disposed.within(name)))
}

/// Stores what a creation holding the gate built (so the slot is empty), after handing its
/// disposer to `bag`; or, if the bag refuses it (it is being disposed), the future that disposes
/// it and gives the creation's error.
#[inline]
fn publish<T, U: ?Sized>(
    value: &OnceLock<Arc<U>>,
    built: T,
    bag: &DisposeBag,
    name: &'static str,
    disposer: fn(&Arc<T>, &'static str) -> Option<Disposer>,
    wrap: fn(Arc<T>) -> Arc<U>,
) -> std::result::Result<Arc<U>, BoxFuture<'static, Error>> {
    let built = Arc::new(built);
    if let Some(disposer) = disposer(&built, name)
        && let Some(refused) = adopt(bag, name, disposer)
    {
        return Err(refused);
    }
    let shared = wrap(built);
    let _ = value.set(Arc::clone(&shared));
    Ok(shared)
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

/// Hands `disposer` to `bag`. An instance whose creation finishes while the bag is being disposed
/// is refused, so no disposer is lost: then the future returned disposes it and gives the error
/// that the creation fails with.
fn adopt(bag: &DisposeBag, name: &'static str, disposer: Disposer) -> Option<BoxFuture<'static, Error>> {
    let refused = bag.push(disposer).err()?;
    let owner = bag.owner();
    // boxed: this rare path's state would otherwise be carried by every creation
    Some(Box::pin(async move {
        if let Err(failure) = refused.run().await {
            tracing::error!(target: "injectq", %failure, "disposing `{name}`, created while `{owner}` was being disposed");
        }
        Error::disposed(owner).within(name)
    }))
}
