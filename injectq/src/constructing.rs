//! Run-time cycle detection for cycles awaited through `Lazy`/`Provider` inside a creation.
//!
//! Each creation of a shared service runs with its chain (itself and the creations it is nested
//! in, a shared list: a nested creation adds one link rather than copying the chain, so a chain
//! of `n` creations costs `n` small links, not `n²/2` entries), set for its own future only: [`Guarded`] puts it in a thread-local while it
//! polls that future and takes it back after, so concurrent creations in one task (`start()`
//! joins them) never see each other's chains. A chain that asks for a service it is itself
//! creating is a cycle. A creation that has to wait for a service another chain is creating
//! records that wait (in the [`Waits`] of its tree of containers); a loop of such waits is a cycle too. Either way the asker gets an error of
//! kind `Cycle` that names the loop, instead of waiting forever.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use crate::gate::{GateGuard, GateLock};
use crate::sync::AtomicBool;
use crate::{Error, Result};

/// A shared service under creation: the address of its gate, and its name.
pub(crate) type Entry = (usize, &'static str);

/// One creation in progress, and the creation it is nested in: the chain is a shared list, so a
/// nested creation adds one link (one small allocation) instead of copying the whole chain.
pub(crate) struct Link {
    entry: Entry,
    outer: Chain,
}

/// The creations a future is nested in, innermost first (`None`: none).
pub(crate) type Chain = Option<Arc<Link>>;

thread_local! {
    /// The chain of the creation being polled on this thread.
    static CHAIN: RefCell<Chain> = const { RefCell::new(None) };
}

/// Starts the creation of `target`: its chain (`target`, nested in the current one) and the
/// creation it is nested in, or a `Cycle` error if the current chain is already creating `target`.
pub(crate) fn begin(target: Entry) -> Result<(Chain, Option<Entry>)> {
    let current = CHAIN.with_borrow(Clone::clone);
    // the links of the current chain, innermost first
    let links = || std::iter::successors(current.as_deref(), |l| l.outer.as_deref());
    if let Some(at) = links().position(|l| l.entry.0 == target.0) {
        // the loop, outermost first: from `target`'s creation in progress to the innermost
        let mut path: Vec<_> = links().take(at + 1).map(|l| l.entry.1).collect();
        path.reverse();
        path.push(target.1);
        return Err(Error::cycle(target.1, path));
    }
    let from = current.as_ref().map(|l| l.entry);
    Ok((Some(Arc::new(Link { entry: target, outer: current })), from))
}

pin_project_lite::pin_project! {
    /// A creation's future, polled with its chain as the thread's current one.
    pub(crate) struct Guarded<F> {
        chain: Chain,
        #[pin]
        creating: F,
    }
}

impl<F> Guarded<F> {
    pub(crate) fn new(chain: Chain, creating: F) -> Self {
        Guarded { chain, creating }
    }
}

impl<F: Future> Future for Guarded<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _entered = Entered::new(this.chain);
        this.creating.poll(cx)
    }
}

/// The chain swapped into the thread-local for one poll, and back out when dropped (also when the
/// poll panics).
struct Entered<'a>(&'a mut Chain);

impl<'a> Entered<'a> {
    fn new(chain: &'a mut Chain) -> Self {
        CHAIN.with_borrow_mut(|current| std::mem::swap(current, chain));
        Entered(chain)
    }
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        CHAIN.with_borrow_mut(|current| std::mem::swap(current, self.0));
    }
}

/// Takes `lock`, the gate of `to`, for the creation `from` is nested in (if any); `None` if `ready`
/// is set meanwhile (the service is created: nothing to do). Waiting for a gate another chain
/// holds is recorded in `waits` for as long as it lasts, and refused with a `Cycle` error if that
/// chain (through the waits recorded) waits for `from`: the wait would never end.
pub(crate) async fn acquire<'a>(
    lock: &'a GateLock,
    ready: &'a AtomicBool,
    waits: impl FnOnce() -> Arc<Waits>,
    from: Option<Entry>,
    to: Entry,
) -> Result<Option<GateGuard<'a>>> {
    if let Some(held) = lock.try_lock(ready) {
        return Ok(Some(held));
    }
    let _wait = match from {
        Some(from) => Some(Waits::record(waits(), from, to)?),
        None => None,
    };
    Ok(lock.lock(ready).await)
}

/// The waits of one tree of containers (a root, its scopes and its child containers): which
/// creation in progress waits for which, keyed by the one that waits. Recording a wait, finding
/// whether it closes a loop, and forgetting it cost the length of that path, however many waits
/// there are; unrelated containers do not share it.
#[derive(Default)]
pub(crate) struct Waits(Mutex<HashMap<usize, Vec<Entry>>>);

impl Waits {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Vec<Entry>>> {
        // no user code runs under this lock, so a poisoned one still holds a consistent map
        crate::sync::lock(&self.0)
    }

    /// Records that `from` waits for `to`, unless `to` (through the waits recorded) already waits
    /// for `from`: then waiting would never end.
    fn record(waits: Arc<Waits>, from: Entry, to: Entry) -> Result<WaitGuard> {
        let mut map = waits.lock();
        let mut path = vec![from.1, to.1];
        let mut at = to.0;
        // each creation waits for one service at a time (one that joins several follows the
        // first), so this follows a single path; never more steps than there are waiting
        // creations, even round a loop that does not pass `from`
        for _ in 0..map.len() {
            let Some(&next) = map.get(&at).and_then(|to| to.first()) else { break };
            path.push(next.1);
            if next.0 == from.0 {
                return Err(Error::cycle(from.1, path));
            }
            at = next.0;
        }
        map.entry(from.0).or_default().push(to);
        drop(map);
        Ok(WaitGuard { waits, from: from.0, to: to.0 })
    }
}

/// A wait recorded in [`Waits`], forgotten when dropped.
struct WaitGuard {
    waits: Arc<Waits>,
    from: usize,
    to: usize,
}

impl Drop for WaitGuard {
    fn drop(&mut self) {
        let mut map = self.waits.lock();
        if let Some(to) = map.get_mut(&self.from) {
            if let Some(i) = to.iter().position(|entry| entry.0 == self.to) {
                to.swap_remove(i);
            }
            if to.is_empty() {
                map.remove(&self.from);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_is_named_from_where_it_closes_not_from_the_outermost_creation() {
        // A creates B, which creates C, which asks for B: the loop is B -> C -> B
        let link = |entry: Entry, outer: Chain| Some(Arc::new(Link { entry, outer }));
        let chain = link((3, "C"), link((2, "B"), link((1, "A"), None)));
        CHAIN.with_borrow_mut(|current| *current = chain);
        let refused = begin((2, "B"));
        CHAIN.with_borrow_mut(|current| *current = None);
        let error = refused.err().expect("B is already being created in this chain");
        assert!(error.to_string().contains("resolve `B` -> `C` -> `B`:"), "{error}");
        // a service not in the chain starts a creation nested in the innermost one
        let (chain, from) = begin((4, "D")).expect("no cycle");
        assert_eq!((from, chain.map(|l| l.entry)), (None, Some((4, "D"))));
    }
}
