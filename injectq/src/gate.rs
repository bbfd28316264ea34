//! The gate of a slot: held by the one creation of its service in progress, so that the service
//! is created exactly once.
//!
//! Taking a free gate and releasing one that nobody waits for are one atomic operation each. The
//! tasks that wait for a gate wait in a queue (tokio's [`Notify`], a linked list: each one joins
//! and leaves it in constant time). When the creation that holds the gate succeeds, every waiter
//! is woken at once, since each will find the service created; when it fails or is cancelled, one
//! waiter is woken, the first in line, to try the creation again. So `n` tasks waiting for one
//! creation cost `O(n)` in all, however many there are.
//!
//! Cancellation: a waiter dropped after it was woken hands its turn to the next one (`Notify`
//! does), so a failed creation is always tried again while anyone waits for it.

use std::pin::pin;
use std::sync::atomic::Ordering;

use tokio::sync::Notify;

use crate::sync::{AtomicBool, AtomicUsize};

/// The gate bit of [`GateLock::state`].
const LOCKED: usize = 1;
/// One waiter, counted in [`GateLock::state`] above the gate bit.
const WAITER: usize = 2;

/// A gate: taken and released by one creation at a time, waited for in a queue.
#[derive(Default)]
pub(crate) struct GateLock {
    /// [`LOCKED`] while a creation holds the gate, plus [`WAITER`] per task waiting for it: one
    /// word, so that a release sees, in the same atomic operation, whether anyone must be woken
    state: AtomicUsize,
    /// the queue of the waiting tasks
    turns: Notify,
}

impl GateLock {
    /// The gate, if no creation holds it. `ready` is the slot's flag that says its service is
    /// created: the guard reads it when it is dropped, to wake every waiter or one.
    #[inline]
    pub(crate) fn try_lock<'a>(&'a self, ready: &'a AtomicBool) -> Option<GateGuard<'a>> {
        let mut state = self.state.load(Ordering::Relaxed);
        while state & LOCKED == 0 {
            match self.state.compare_exchange_weak(state, state | LOCKED, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return Some(GateGuard { lock: self, ready }),
                Err(now) => state = now,
            }
        }
        None
    }

    /// Waits until the gate is free and takes it, or until `ready` is set (`None`: the service
    /// is created, and there is nothing to do). Cancel-safe: dropping the future leaves the queue.
    pub(crate) async fn lock<'a>(&'a self, ready: &'a AtomicBool) -> Option<GateGuard<'a>> {
        let _waiting = Waiting::new(self);
        loop {
            // in the queue before looking, so that a release after the look wakes this task
            let mut turn = pin!(self.turns.notified());
            turn.as_mut().enable();
            if ready.load(Ordering::Acquire) {
                return None;
            }
            if let Some(guard) = self.try_lock(ready) {
                return Some(guard);
            }
            turn.await;
        }
    }

    /// Whether a creation holds the gate.
    #[cfg(test)]
    fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) & LOCKED != 0
    }

    /// How many tasks wait for the gate.
    #[cfg(test)]
    fn waiters(&self) -> usize {
        self.state.load(Ordering::Relaxed) / WAITER
    }
}

/// A task counted among a gate's waiters while it waits (also when its wait is dropped).
struct Waiting<'a>(&'a GateLock);

impl<'a> Waiting<'a> {
    fn new(lock: &'a GateLock) -> Self {
        lock.state.fetch_add(WAITER, Ordering::Relaxed);
        Waiting(lock)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.state.fetch_sub(WAITER, Ordering::Relaxed);
    }
}

/// A gate, held. Dropping it releases the gate and wakes whom it must: every waiter if the service
/// is created, else the first in line.
pub(crate) struct GateGuard<'a> {
    lock: &'a GateLock,
    ready: &'a AtomicBool,
}

impl GateGuard<'_> {
    /// Whether this guard holds `lock`.
    pub(crate) fn holds(&self, lock: &GateLock) -> bool {
        std::ptr::eq(self.lock, lock)
    }
}

impl Drop for GateGuard<'_> {
    fn drop(&mut self) {
        // one read-modify-write: every waiter counted before it is woken below, and every one
        // counted after it finds the gate free when it looks
        let before = self.lock.state.fetch_and(!LOCKED, Ordering::Release);
        if before >= WAITER {
            if self.ready.load(Ordering::Acquire) {
                self.lock.turns.notify_waiters();
            } else {
                self.lock.turns.notify_one();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::sync::AtomicBool;
    use std::time::Duration;

    use super::GateLock;

    /// A gate and its slot's `ready` flag, shared by the tasks of a test.
    #[derive(Default)]
    struct Shared {
        gate: GateLock,
        ready: AtomicBool,
        creations: AtomicUsize,
    }

    /// Waits, bounded, until `done`.
    async fn until(done: impl Fn() -> bool) {
        tokio::time::timeout(Duration::from_secs(10), async {
            while !done() {
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("reached in time");
    }

    #[test]
    fn a_held_gate_is_not_taken_again_until_released() {
        let shared = Shared::default();
        let guard = shared.gate.try_lock(&shared.ready).expect("free");
        assert!(shared.gate.try_lock(&shared.ready).is_none());
        assert!(guard.holds(&shared.gate));
        drop(guard);
        assert!(!shared.gate.is_locked());
        assert!(shared.gate.try_lock(&shared.ready).is_some());
    }

    /// Many tasks wait while one creates: when it succeeds, every waiter returns with nothing to
    /// do; when it fails first, one waiter takes over, and the others then find it created.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn waiters_are_all_woken_by_a_success_and_one_takes_over_a_failure() {
        for fail_first in [false, true] {
            let shared = Arc::new(Shared::default());
            let first = shared.gate.try_lock(&shared.ready).expect("free");
            let waiters: Vec<_> = (0..200)
                .map(|_| {
                    let shared = Arc::clone(&shared);
                    tokio::spawn(async move {
                        if let Some(_held) = shared.gate.lock(&shared.ready).await {
                            // the creation, tried again by whoever takes the gate
                            if !shared.ready.load(Ordering::Acquire) {
                                shared.creations.fetch_add(1, Ordering::SeqCst);
                                shared.ready.store(true, Ordering::Release);
                            }
                        }
                    })
                })
                .collect();
            until(|| shared.gate.waiters() == 200).await; // every one of them waits
            if !fail_first {
                shared.creations.fetch_add(1, Ordering::SeqCst);
                shared.ready.store(true, Ordering::Release);
            }
            drop(first);
            tokio::time::timeout(Duration::from_secs(10), async {
                for waiter in waiters {
                    waiter.await.unwrap();
                }
            })
            .await
            .expect("every waiter returns");
            assert_eq!(shared.creations.load(Ordering::SeqCst), 1, "created once (fail first: {fail_first})");
            assert!(!shared.gate.is_locked());
        }
    }

    /// A waiter that is woken and dropped before it runs hands its turn on: the creation is
    /// still tried again by another waiter.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_woken_waiter_dropped_hands_its_turn_on() {
        let shared = Arc::new(Shared::default());
        let first = shared.gate.try_lock(&shared.ready).expect("free");
        let dropped = {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move { shared.gate.lock(&shared.ready).await.map(drop) })
        };
        let patient = {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move { shared.gate.lock(&shared.ready).await.is_some() })
        };
        until(|| shared.gate.waiters() == 2).await;
        dropped.abort();
        drop(first); // not ready: one waiter is woken, perhaps the aborted one
        let took_over = tokio::time::timeout(Duration::from_secs(10), patient).await.expect("not stranded");
        assert!(took_over.unwrap(), "the patient waiter takes the gate");
    }
}
