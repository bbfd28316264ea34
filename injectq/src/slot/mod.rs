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
//!
//! # The cell's invariants
//!
//! What `Slot`'s `unsafe` relies on, each kept by the code named, and model-checked by loom (the
//! tests at the end of this file: `RUSTFLAGS="--cfg injectq_loom" cargo test -p injectq --lib
//! --release loom`), which fails when an ordering below is weakened:
//!
//! 1. `value` is written at most once, and only by a creation that holds the slot's gate
//!    (`Held::fill`; `Held::new` checks the gate is this slot's). The gate admits one holder at a
//!    time: taking it is an `Acquire` read-modify-write, releasing it a `Release` one
//!    (`gate.rs`).
//! 2. `value` is written only while `ready` is unset (`fill` looks first, under the gate), so no
//!    reader holds a reference into it then.
//! 3. `ready` is set with `Release` right after the write, and never unset; a reader reads `value`
//!    only after an `Acquire` load of `ready` that saw it set (`get`), so the write happens
//!    before every read.
//! 4. Dropping the slot drops `value` once, and only if `ready` says it was written.
//!
//! The files: this one is the cell (its `unsafe`, and what a creation must hold to write it);
//! `pending.rs`, what a creation that is not done yet hands out ([`Pending`]) and what may be
//! started for it ([`Starts`]); `creation.rs`, a creation ([`once`]) and the driver of one that
//! awaits (the gate, the deadline, the cycle guard, the disposal check, the store);
//! `assembly.rs`, an assembled creation.

use std::mem::MaybeUninit;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::bag::DisposeBag;
use crate::gate::{GateGuard, GateLock};
use crate::sync::{AtomicBool, AtomicU32, AtomicUsize, UnsafeCell};
use crate::{Error, Result};

mod assembly;
mod by_type;
mod creation;
mod pending;

pub(crate) use assembly::{Assembly, Finished, assembled, assembled_pending, finish};
pub use by_type::TypeSlots;
pub use creation::{Creation, Once, once};
pub(crate) use pending::settling;
pub use pending::{Pending, Starts};

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
            Some(self.value.with(|value| unsafe { (*value).assume_init_ref() }))
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
        if self.ready.load(Ordering::Acquire) {
            // SAFETY: `ready` says `value` was written, and it is dropped only here, once.
            self.value.with_mut(|value| unsafe { (*value).assume_init_drop() });
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
        self.slot.value.with_mut(|value| unsafe { (*value).write(shared) });
        self.slot.ready.store(true, Ordering::Release);
        self.slot.get().expect("filled above")
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

/// The error of a creation whose owner is disposed (or being disposed), if it is.
fn disposed(bag: &DisposeBag, name: &'static str) -> Option<Error> {
    bag.is_closed().then(|| bag.closed_error().within(name))
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

/// The cell's protocol, model-checked by loom over every interleaving and memory ordering:
/// `RUSTFLAGS="--cfg injectq_loom" cargo test -p injectq --lib --release loom`.
#[cfg(all(test, injectq_loom))]
mod loom_tests {
    use std::sync::Arc;

    use super::{Held, Slot};
    use crate::sync::{AtomicBool, UnsafeCell};

    /// As a creation does: the stored instance if there is one; else, under the gate, look again
    /// and store `mine`. Spins (yielding to loom) while another creator holds the gate.
    fn create(slot: &Slot<u8>, mine: u8) -> u8 {
        loop {
            if let Some(stored) = slot.get() {
                return **stored;
            }
            if let Some(gate) = slot.try_gate() {
                return **Held::new(slot, &gate).fill(Arc::new(mine));
            }
            loom::thread::yield_now();
        }
    }

    #[test]
    fn loom_two_creators_and_a_reader_see_one_instance() {
        loom::model(|| {
            let slot = loom::sync::Arc::new(Slot::<u8>::default());
            let other = loom::sync::Arc::clone(&slot);
            let reader = loom::sync::Arc::clone(&slot);
            let second = loom::thread::spawn(move || create(&other, 2));
            let read = loom::thread::spawn(move || reader.get().map(|v| **v));
            let first = create(&slot, 1);
            let second = second.join().unwrap();
            assert_eq!(first, second, "both creators see the one instance stored");
            if let Some(seen) = read.join().unwrap() {
                assert_eq!(seen, first, "a reader sees nothing, or the instance stored");
            }
        });
    }

    #[test]
    fn loom_the_gate_lets_one_holder_in_at_a_time() {
        loom::model(|| {
            // a plain counter behind the gate: loom reports a data race if two holders overlap
            let shared =
                loom::sync::Arc::new((crate::gate::GateLock::default(), AtomicBool::new(false), UnsafeCell::new(0u8)));
            let other = loom::sync::Arc::clone(&shared);
            let increment = |s: &(crate::gate::GateLock, AtomicBool, UnsafeCell<u8>)| loop {
                if let Some(_held) = s.0.try_lock(&s.1) {
                    // SAFETY: written only by the gate's holder, which this thread is
                    #[allow(unsafe_code)]
                    s.2.with_mut(|count| unsafe { *count += 1 });
                    return;
                }
                loom::thread::yield_now();
            };
            let t = loom::thread::spawn(move || increment(&other));
            increment(&shared);
            t.join().unwrap();
            // SAFETY: both threads are joined: nothing else reads or writes it now
            #[allow(unsafe_code)]
            let count = shared.2.with(|count| unsafe { *count });
            assert_eq!(count, 2);
        });
    }
}
