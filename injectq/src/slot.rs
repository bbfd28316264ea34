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

use std::cell::UnsafeCell;
use std::future::Future;
use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use crate::__private::BoxFuture;
use crate::bag::DisposeBag;
use crate::deadline::{Deadline, bounded};
use crate::dispose::Disposer;
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
    /// written once, by a creation holding the gate, while `ready` is unset
    value: UnsafeCell<MaybeUninit<Arc<T>>>,
    /// held by the one creation in progress
    gate: futures_util::lock::Mutex<()>,
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
            value: UnsafeCell::new(MaybeUninit::uninit()),
            gate: futures_util::lock::Mutex::new(()),
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
    fn try_hold(&self) -> Option<Held<'_, T>> {
        self.gate.try_lock().map(|gate| Held { slot: self, _gate: gate })
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
struct Held<'a, T: ?Sized> {
    slot: &'a Slot<T>,
    _gate: futures_util::lock::MutexGuard<'a, ()>,
}

impl<T: ?Sized> Held<'_, T> {
    /// Stores `shared` and gives it back, or gives back the instance stored already (then
    /// `shared` is dropped): a stored instance is never replaced.
    #[allow(unsafe_code)]
    fn fill(&self, shared: Arc<T>) -> Arc<T> {
        if let Some(stored) = self.slot.get() {
            return Arc::clone(stored);
        }
        // SAFETY: this creation holds the gate, and only a gate holder writes `value`, so no
        // other write races with this one; `ready` is unset (just checked, and only a gate holder
        // sets it), so no reader holds a reference into `value` (`get` hands one out only once
        // `ready` is set) and it holds no instance to leak.
        unsafe { (*self.slot.value.get()).write(Arc::clone(&shared)) };
        self.slot.ready.store(true, Ordering::Release);
        shared
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
/// its future (which keeps the futures of deep chains of shared services small). Resolving a
/// created instance allocates nothing.
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
    // the synchronous creation, when the type allows it and no other creation holds the gate
    if let Some((ready, now)) = now
        && let Some(held) = slot.try_hold()
    {
        if let Some(settled) = settled(&held, bag, name) {
            return Once::Ready(Some(settled)); // created since the first look, or disposed
        }
        // when a dependency is not ready, nothing is built: the async path below creates it
        if ready()
            && let Some(built) = creating_now(name, bag, now)
        {
            return match built.map(|built| publish(&held, built, bag, name, disposer, wrap)) {
                Err(failed) => Once::Ready(Some(Err(failed))),
                Ok(Ok(shared)) => Once::Ready(Some(Ok(shared))),
                Ok(Err(refused)) => Once::Refused(refused),
            };
        }
    }
    let target = (std::ptr::from_ref(&slot.gate).cast::<()>() as usize, name);
    let (chain, from) = match crate::constructing::begin(target) {
        Ok(begun) => begun,
        Err(cycle) => return Once::Ready(Some(Err(cycle))),
    };
    // the typed part of a creation; what is not typed is in non-generic functions
    let creating = async move {
        let mut deadline = Deadline::start(bag.create_timeout());
        let seen = slot.timeouts.load(Ordering::Acquire);
        // waiting for the gate is not generic; only the `Held` made from it is
        let waiting = crate::constructing::acquire(&slot.gate, from, target);
        let gate = bounded(deadline.as_mut(), waiting).await.map_err(|limit| timed_out(name, limit))??;
        let held = Held { slot, _gate: gate };
        if let Some(settled) = settled(&held, bag, name) {
            return settled; // another task created it while this one waited, or disposed
        }
        if slot.timeouts.load(Ordering::Acquire) != seen {
            // the creation this one waited for missed its deadline
            return Err(timed_out(name, deadline.as_ref().map_or(Duration::ZERO, Deadline::limit)));
        }
        let built = match bounded(deadline.as_mut(), creating(name, bag, build())).await {
            Ok(built) => built?,
            Err(limit) => {
                // counted before the gate is released, so every waiter sees it
                slot.timeouts.fetch_add(1, Ordering::Release);
                return Err(timed_out(name, limit));
            }
        };
        match publish(&held, built, bag, name, disposer, wrap) {
            Ok(shared) => Ok(shared),
            Err(refused) => Err(refused.await),
        }
    };
    Once::Later(Box::pin(crate::constructing::Guarded::new(chain, creating)))
}

/// The future [`once`] returns: the instance at once (or a cycle refused at once), or its
/// creation, boxed. Small, so that moving it costs nothing, and generic only in the service.
pub enum Once<'a, U: ?Sized> {
    /// done (or refused at once)
    Ready(Option<Result<Arc<U>>>),
    /// still to be done, by this future or by another one it waits for
    Later(BoxFuture<'a, Result<Arc<U>>>),
    /// created by plain calls while its owner was being disposed: disposed at once, then refused
    Refused(BoxFuture<'static, Error>),
}

impl<U: ?Sized> Future for Once<'_, U> {
    type Output = Result<Arc<U>>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        match self.get_mut() {
            Once::Ready(ready) => std::task::Poll::Ready(ready.take().expect("a resolution polled after it completed")),
            Once::Later(later) => later.as_mut().poll(cx),
            Once::Refused(refused) => refused.as_mut().poll(cx).map(Err),
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
fn settled<U: ?Sized>(held: &Held<'_, U>, bag: &DisposeBag, name: &'static str) -> Option<Result<Arc<U>>> {
    if let Some(v) = held.slot.get() {
        return Some(Ok(Arc::clone(v)));
    }
    disposed(bag, name).map(Err)
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

/// Stores what a creation holding the gate built (so the slot is empty), after handing its
/// disposer to `bag`; or, if the bag refuses it (it is being disposed), the future that disposes
/// it and gives the creation's error.
#[inline]
fn publish<T, U: ?Sized>(
    held: &Held<'_, U>,
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
    Ok(held.fill(wrap(built)))
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

    use super::Slot;

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
        let first = slot.try_hold().expect("a free gate").fill(Arc::new(Counted(Arc::clone(&drops))));
        assert!(Arc::ptr_eq(slot.get().expect("filled"), &first));
        // a second fill never replaces the stored instance: it gets it back, and its own is dropped
        let again = slot.try_hold().expect("a free gate").fill(Arc::new(Counted(Arc::clone(&drops))));
        assert!(Arc::ptr_eq(&again, &first));
        assert_eq!(drops.load(Ordering::SeqCst), 1, "the refused instance is dropped");
        drop((first, again));
        assert_eq!(drops.load(Ordering::SeqCst), 1, "the slot still holds its instance");
        drop(slot);
        assert_eq!(drops.load(Ordering::SeqCst), 2, "dropping the slot drops its instance");
    }

    #[test]
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
                                if let Some(held) = slot.try_hold() {
                                    let shared = match slot.get() {
                                        Some(stored) => Arc::clone(stored),
                                        None => held.fill(Arc::new(Counted(Arc::clone(&drops)))),
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
