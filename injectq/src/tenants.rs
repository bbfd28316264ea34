//! Shared scopes keyed by a value: a tenant's scope (its database pool, its configuration),
//! created on first use, shared by every request of that tenant, evicted when idle, and disposed
//! once nothing uses it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::time::Instant;

use crate::handles::{Container, Scope, ScopeFactory};
use crate::{GetNow, Provide, Result};

/// A cache of scopes of kind `S`, one per key: the scopes of a container's tenants.
///
/// The kind is declared with the key as its one input, and requests are usually a kind nested
/// in it, so that each request sees its tenant's services:
///
/// ```
/// use std::sync::Arc;
/// use injectq::{Tenants, container, injectable};
///
/// #[derive(Clone, PartialEq, Eq, Hash)]
/// pub struct TenantId(pub String);
/// pub struct Caller(pub String);
///
/// /// One per tenant: created on the tenant's first request, shared by all of them.
/// #[injectable]
/// pub struct TenantDb {
///     tenant: Arc<TenantId>,
/// }
///
/// #[injectable]
/// pub struct Orders {
///     db: Arc<TenantDb>,
///     caller: Arc<Caller>,
/// }
///
/// container! {
///     pub struct App {
///         scope TenantScope {
///             input TenantId;
///             scoped TenantDb;
///
///             scope RequestScope {
///                 input Caller;
///                 scoped Orders;
///             }
///         }
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> injectq::Result<()> {
/// let app = App::new();
/// let tenants = Tenants::<App, TenantScope>::of(&app)?.max_tenants(1_000);
/// let acme = tenants.get(TenantId("acme".into()))?;
/// let request = acme.create_request_scope_with(Caller("ada".into()));
/// let orders = request.resolve::<Arc<Orders>>().await?;
/// assert_eq!(orders.db.tenant.0, "acme");
/// # request.dispose().await.unwrap();
/// # Ok(())
/// # }
/// ```
///
/// - **Once per key.** [`get`](Self::get) opens the key's scope on its first call and hands out
///   the same scope afterwards; two first calls at once open it once (the map is locked while a
///   scope is opened, which creates nothing: its services are created on first use, each once).
/// - **Bounded.** With [`max_tenants`](Self::max_tenants), opening a tenant beyond the maximum
///   evicts the least recently used tenants that are idle; with
///   [`idle_after`](Self::idle_after), a task evicts every tenant idle for that long since its
///   last `get`. A tenant is *idle* when the cache holds its only handle: no request scope is
///   open inside it and no one holds a clone of it. A tenant in use is never evicted, so the
///   maximum is exceeded while every tenant is in use, and restored as they become idle.
/// - **Disposed once nothing uses it.** An evicted tenant is disposed in the background as
///   [`Completed`](crate::Outcome::Completed) (failures are logged). When the container's
///   `shutdown` (or `dispose`) begins, the cache lets go of every tenant and refuses new ones:
///   an idle tenant is disposed at once, one in use once its last request scope ends (and
///   `shutdown` waits for it, as for any open scope, until its deadline).
/// - **Errors.** `get` fails once the container is gone, disposed or shutting down.
/// - **Cancellation and panics.** `get` does not await: nothing to cancel. A panic in another
///   thread while it held the map's lock (none of the cache's code panics; hashing a key may)
///   does not make the cache unusable.
///
/// It is a cheap handle: `Clone` shares the cache. Keep it beside the container (in a router's
/// state) or register it, built by a factory from the kind's `ScopeFactory`. Dropping its last
/// handle lets go of every tenant, as an eviction does.
pub struct Tenants<C: Container, S: Scope> {
    shared: Arc<Shared<C, S>>,
}

struct Shared<C: Container, S: Scope> {
    scopes: ScopeFactory<C, S>,
    state: Mutex<Cache<S>>,
}

struct Cache<S: Scope> {
    /// the most tenants kept (more only while they are in use)
    max: usize,
    /// how long a tenant may stay idle since its last `get`
    idle: Option<Duration>,
    tenants: HashMap<S::Inputs, Entry<S>>,
    /// each tenant's key by the order of its last `get`, oldest first
    by_use: BTreeMap<u64, S::Inputs>,
    /// the next `get`'s place in `by_use`
    clock: u64,
    /// the container's shutdown or disposal began: every tenant was let go of
    closed: bool,
    /// the idle sweeper was started
    sweeping: bool,
    stats: TenantStats,
}

struct Entry<S> {
    scope: S,
    /// its key in `by_use`
    used: u64,
    /// when it was last handed out
    at: Instant,
}

/// What a [`Tenants`] cache has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TenantStats {
    /// Tenant scopes opened (one per key, and again for a key after its eviction).
    pub opened: u64,
    /// Tenant scopes let go of because they were idle (past the maximum, or the idle time).
    pub evicted: u64,
    /// Tenant scopes let go of when the container's shutdown or disposal began.
    pub released_at_close: u64,
    /// Tenant scopes in the cache now.
    pub live: usize,
}

impl<C: Container, S: Scope<Root = C, Outer = C>> Tenants<C, S>
where
    S::Inputs: Eq + Hash + Clone,
{
    /// A cache of the scopes that `scopes` opens, unbounded until
    /// [`max_tenants`](Self::max_tenants) or [`idle_after`](Self::idle_after) say otherwise.
    pub fn new(scopes: ScopeFactory<C, S>) -> Self {
        let shared = Arc::new(Shared { scopes, state: Mutex::new(Cache::new()) });
        // the container's shutdown or disposal lets go of every tenant
        let weak = Arc::downgrade(&shared);
        shared.scopes.on_close(Box::new(move || {
            if let Some(shared) = weak.upgrade() {
                shared.close();
            }
        }));
        Tenants { shared }
    }

    /// A cache of `container`'s scopes of kind `S`: [`new`](Self::new) with the kind's
    /// [`ScopeFactory`]. Fails if the container is disposed.
    pub fn of(container: &C) -> Result<Self>
    where
        C: Provide<ScopeFactory<C, S>> + GetNow<ScopeFactory<C, S>>,
    {
        Ok(Self::new(container.get::<ScopeFactory<C, S>>()?))
    }

    /// At most `max` tenants (at least 1): opening one more evicts the least recently used idle
    /// ones.
    pub fn max_tenants(self, max: usize) -> Self {
        self.shared.lock().max = max.max(1);
        self
    }

    /// Evicts a tenant once it has been idle for `idle` since its last [`get`](Self::get), checked
    /// by a task on the tokio runtime (started by the first `get`) about four times per `idle`.
    pub fn idle_after(self, idle: Duration) -> Self {
        self.shared.lock().idle = Some(idle);
        self
    }

    /// The scope of tenant `key`: opened on the key's first call, the same scope afterwards until
    /// it is evicted. Fails once the container is gone, disposed or shutting down.
    pub fn get(&self, key: S::Inputs) -> Result<S> {
        let shared = &self.shared;
        let mut cache = shared.lock();
        if cache.closed {
            drop(cache);
            return Err(shared.scopes.refusal());
        }
        cache.clock += 1;
        let now = Instant::now();
        let (used, clock) = (cache.clock, cache.clock);
        if let Some(entry) = cache.tenants.get_mut(&key) {
            let before = std::mem::replace(&mut entry.used, used);
            entry.at = now;
            let scope = entry.scope.clone();
            cache.by_use.remove(&before);
            cache.by_use.insert(clock, key);
            return Ok(scope);
        }
        let scope = shared.scopes.create_scope_with(key.clone())?;
        cache.tenants.insert(key.clone(), Entry { scope: scope.clone(), used, at: now });
        cache.by_use.insert(clock, key);
        cache.stats.opened += 1;
        let max = cache.max;
        let evicted = cache.evict(max, None);
        let sweep = cache.idle.filter(|_| !std::mem::replace(&mut cache.sweeping, true));
        drop(cache);
        // let go of outside the lock: the last handle's drop starts a disposal
        drop(evicted);
        if let Some(idle) = sweep {
            Shared::sweep(Arc::downgrade(shared), idle);
        }
        Ok(scope)
    }

    /// Evicts every tenant idle for the idle time (every idle tenant, without one) now, rather
    /// than at the sweeper's next check: the number evicted.
    pub fn evict_idle(&self) -> usize {
        let mut cache = self.shared.lock();
        let evicted = match cache.idle {
            Some(idle) => match Instant::now().checked_sub(idle) {
                Some(cutoff) => cache.evict(usize::MAX, Some(cutoff)),
                None => Vec::new(),
            },
            None => cache.evict(0, None),
        };
        drop(cache);
        evicted.len()
    }

    /// How many tenants the cache holds now.
    pub fn len(&self) -> usize {
        self.shared.lock().tenants.len()
    }

    /// Whether the cache holds no tenant.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the cache has done so far.
    pub fn stats(&self) -> TenantStats {
        let cache = self.shared.lock();
        TenantStats { live: cache.tenants.len(), ..cache.stats }
    }
}

impl<C: Container, S: Scope<Root = C, Outer = C>> Shared<C, S>
where
    S::Inputs: Eq + Hash + Clone,
{
    fn lock(&self) -> MutexGuard<'_, Cache<S>> {
        // the cache's own code does not panic while it holds the lock
        crate::sync::lock(&self.state)
    }

    /// The container's shutdown or disposal began: let go of every tenant, and refuse new ones.
    fn close(&self) {
        let mut cache = self.lock();
        cache.closed = true;
        cache.by_use.clear();
        let all: Vec<S> = cache.tenants.drain().map(|(_, entry)| entry.scope).collect();
        cache.stats.released_at_close += all.len() as u64;
        drop(cache);
        for scope in all {
            scope.release();
        }
    }

    /// Evicts idle tenants every quarter of `idle`, until the cache or its container is gone.
    fn sweep(shared: Weak<Self>, idle: Duration) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // no runtime: `evict_idle` and the maximum still evict; allow a later `get` to try
            if let Some(shared) = shared.upgrade() {
                shared.lock().sweeping = false;
            }
            return;
        };
        let every = (idle / 4).max(Duration::from_millis(1));
        runtime.spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Some(shared) = shared.upgrade() else { return };
                let mut cache = shared.lock();
                if cache.closed {
                    return;
                }
                let evicted = Instant::now().checked_sub(idle).map(|cutoff| cache.evict(usize::MAX, Some(cutoff)));
                drop(cache);
                drop(evicted);
            }
        });
    }
}

impl<C: Container, S: Scope> Drop for Shared<C, S> {
    /// The cache is gone (its last handle dropped): it lets go of every tenant, each disposed as
    /// `Completed` once nothing else holds it, as at an eviction.
    fn drop(&mut self) {
        let cache = self.state.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        for entry in cache.tenants.values() {
            entry.scope.release();
        }
    }
}

impl<S: Scope> Cache<S>
where
    S::Inputs: Eq + Hash + Clone,
{
    fn new() -> Self {
        Cache {
            max: usize::MAX,
            idle: None,
            tenants: HashMap::new(),
            by_use: BTreeMap::new(),
            clock: 0,
            closed: false,
            sweeping: false,
            stats: TenantStats::default(),
        }
    }

    /// Removes idle tenants, least recently used first: while there are more than `keep`, or,
    /// with `before`, each last handed out before it. Returns them released, to be dropped once
    /// the lock is let go of. A tenant in use stays, wherever it is in the order.
    fn evict(&mut self, keep: usize, before: Option<Instant>) -> Vec<S> {
        let mut evicted = Vec::new();
        let mut excess = self.tenants.len().saturating_sub(keep);
        if excess == 0 && before.is_none() {
            return evicted;
        }
        let mut gone = Vec::new();
        for (&used, key) in &self.by_use {
            let entry = &self.tenants[key];
            let old = before.is_some_and(|before| entry.at <= before);
            if excess == 0 && !old {
                // ordered by last use: every tenant further on was used later still
                break;
            }
            if entry.scope.holders() == 1 {
                gone.push(used);
                excess = excess.saturating_sub(1);
            }
        }
        for used in gone {
            if let Some(key) = self.by_use.remove(&used)
                && let Some(entry) = self.tenants.remove(&key)
            {
                entry.scope.release();
                evicted.push(entry.scope);
            }
        }
        self.stats.evicted += evicted.len() as u64;
        evicted
    }
}

impl<C: Container, S: Scope> Clone for Tenants<C, S> {
    fn clone(&self) -> Self {
        Tenants { shared: Arc::clone(&self.shared) }
    }
}

impl<C: Container, S: Scope<Root = C, Outer = C>> fmt::Debug for Tenants<C, S>
where
    S::Inputs: Eq + Hash + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tenants").field("scope", &std::any::type_name::<S>()).field("stats", &self.stats()).finish()
    }
}
