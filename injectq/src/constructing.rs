//! Run-time cycle detection for cycles awaited through `Lazy`/`Provider` inside a construction.
//!
//! Each construction of a shared service runs with its chain (the constructions it is nested in,
//! outermost first) as a task-local value, set for its own future only, so concurrent
//! constructions in one task (`start()` joins them) never see each other's chains. A chain that
//! asks for a service it is itself constructing is a cycle. A construction that waits for a
//! service another chain is constructing records that wait; a loop of such waits is a cycle too.
//! Either way the asker gets an error of kind `Cycle` that names the loop, instead of waiting
//! forever.

use std::future::Future;
use std::sync::Mutex;

use crate::{Error, Result};

/// A shared service under construction: the address of its cell, and its name.
type Entry = (usize, &'static str);

/// The constructions a future is nested in, outermost first; inline up to 4 deep.
type Chain = smallvec::SmallVec<[Entry; 4]>;

tokio::task_local! {
    static CHAIN: Chain;
}

/// "The construction of `from` waits for `to`", while it does.
struct Wait {
    from: Entry,
    to: Entry,
}

static WAITS: Mutex<Vec<Wait>> = Mutex::new(Vec::new());

fn waits() -> std::sync::MutexGuard<'static, Vec<Wait>> {
    WAITS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Prepares the resolution of the shared service `target` (its cell's address and its name) by
/// `construct`, which creates it or waits for whoever is creating it: fails at once on a cycle,
/// and otherwise returns `construct` running inside `target`'s chain, its wait recorded.
pub(crate) fn guarded<T>(
    target: Entry,
    construct: impl Future<Output = Result<T>>,
) -> Result<impl Future<Output = Result<T>>> {
    let mut chain = CHAIN.try_with(Clone::clone).unwrap_or_default();
    if let Some(start) = chain.iter().position(|(cell, _)| *cell == target.0) {
        let mut path: Vec<_> = chain[start..].iter().map(|(_, name)| *name).collect();
        path.push(target.1);
        return Err(Error::cycle(target.1, path));
    }
    let wait = match chain.last() {
        Some(&from) => Some(WaitGuard::record(from, target)?),
        None => None,
    };
    chain.push(target);
    Ok(CHAIN.scope(chain, async move {
        let _wait = wait; // recorded until the construction (or the wait for it) ends
        construct.await
    }))
}

struct WaitGuard {
    from: usize,
    to: usize,
}

impl WaitGuard {
    /// Records that `from` waits for `to`, unless `to` (through the waits recorded) already waits
    /// for `from`: then waiting would never end.
    fn record(from: Entry, to: Entry) -> Result<Self> {
        let mut waits = waits();
        let mut path = vec![from.1, to.1];
        let mut at = to.0;
        // each construction waits for one service at a time, so this follows a single path
        for _ in 0..waits.len() {
            let Some(next) = waits.iter().find(|w| w.from.0 == at) else { break };
            path.push(next.to.1);
            if next.to.0 == from.0 {
                return Err(Error::cycle(from.1, path));
            }
            at = next.to.0;
        }
        waits.push(Wait { from, to });
        Ok(WaitGuard { from: from.0, to: to.0 })
    }
}

impl Drop for WaitGuard {
    fn drop(&mut self) {
        let mut waits = waits();
        if let Some(i) = waits.iter().position(|w| w.from.0 == self.from && w.to.0 == self.to) {
            waits.swap_remove(i);
        }
    }
}
