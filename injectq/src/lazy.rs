//! `Lazy<T>` and `Provider<T>`: deferred resolution through a weak handle to the container or
//! scope. Neither is an edge of the compile-time graph, so either breaks a cycle on purpose.

use std::fmt;
use std::sync::{Arc, Weak};

use std::sync::OnceLock;

use crate::{Error, Provide, Result};

type BoxFuture<T> = crate::future::BoxFuture<'static, T>;

/// A container or scope handle: a cheap, clonable `Arc` of its state. Written by `container!`.
#[doc(hidden)]
pub trait Handle: Clone + Send + Sync + 'static {
    /// what the handle points at
    type State: Send + Sync + 'static;
    /// `App` or `AppScope`, for errors
    const NAME: &'static str;
    /// the state behind the handle
    fn state(&self) -> &Arc<Self::State>;
    /// a handle to `state`
    fn from_state(state: Arc<Self::State>) -> Self;
    /// `Err(Disposed)` once the container or scope is disposed
    fn ensure_open(&self) -> Result<()>;
    /// its own disposal bag
    fn bag(&self) -> &crate::bag::DisposeBag;
}

/// Resolves a `T` from a container that may be gone.
trait Source<T>: Send + Sync {
    fn resolve(&self) -> BoxFuture<Result<T>>;
}

struct WeakHandle<H: Handle>(Weak<H::State>);

impl<H, T> Source<T> for WeakHandle<H>
where
    H: Handle + Provide<T>,
    T: Send + 'static,
{
    fn resolve(&self) -> BoxFuture<Result<T>> {
        let Some(state) = self.0.upgrade() else {
            return Box::pin(async { Err(Error::container_dropped(H::NAME)) });
        };
        let handle = H::from_state(state);
        Box::pin(async move {
            handle.ensure_open()?;
            <H as Provide<T>>::provide(&handle).await
        })
    }
}

fn weak_source<H, T>(handle: &H) -> Arc<dyn Source<T>>
where
    H: Handle + Provide<T>,
    T: Send + 'static,
{
    Arc::new(WeakHandle::<H>(Arc::downgrade(handle.state())))
}

/// A shared service (singleton or scoped) resolved on first use, at most once however many tasks
/// ask, then kept; also the way to break a dependency cycle between shared services.
///
/// `Lazy<T>` is not an edge of the compile-time graph, so it breaks a dependency cycle on purpose:
/// `A` takes `Lazy<B>` while `B` takes `Arc<A>`, and both work. It holds a weak handle to the
/// container or scope and keeps only a weak reference to what it resolved, so such a cycle is
/// freed when the container goes. After that, [`get`](Self::get) returns an error.
///
/// - **Concurrency:** the service is created once, by its container, however many tasks call
///   `get()` at the same time; each gets the same instance.
/// - **Re-entrance:** awaiting `get()` while the service it points at is being created by the
///   same chain of creations (a cycle awaited inside its own construction, such as an init hook
///   that awaits the `Lazy` that is creating it) returns an error of kind
///   [`Cycle`](crate::ErrorKind::Cycle) that names the loop, instead of waiting forever.
/// - **Errors and cancellation:** a failed or cancelled `get()` keeps nothing; the next one tries
///   again. A panic in the creation leaves nothing behind either.
///
/// For a transient, which the container does not keep, use [`Provider<T>`].
pub struct Lazy<T: ?Sized> {
    source: Arc<dyn Source<Arc<T>>>,
    resolved: OnceLock<Weak<T>>,
}

impl<T: ?Sized + Send + Sync + 'static> Lazy<T> {
    /// A `Lazy` that resolves from `handle` (written by `container!`).
    #[doc(hidden)]
    pub fn new<H: Handle + Provide<Arc<T>>>(handle: &H) -> Self {
        Lazy { source: weak_source::<H, Arc<T>>(handle), resolved: OnceLock::new() }
    }

    /// The service, resolved on the first call.
    pub async fn get(&self) -> Result<Arc<T>> {
        if let Some(resolved) = self.resolved.get() {
            return upgrade(resolved);
        }
        // no lock is held across the resolution: the container's slot already creates the service
        // once, and a re-entrant call must reach it to be reported as a cycle
        let service = self.source.resolve().await?;
        // concurrent first calls all resolved the one instance; the first to get here records it
        let _ = self.resolved.set(Arc::downgrade(&service));
        Ok(service)
    }
}

fn upgrade<T: ?Sized>(resolved: &Weak<T>) -> Result<Arc<T>> {
    resolved.upgrade().ok_or_else(|| Error::container_dropped(std::any::type_name::<T>()))
}

impl<T: ?Sized> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lazy").field("resolved", &self.resolved.get().is_some()).finish_non_exhaustive()
    }
}

/// Resolves a `T` afresh at every [`get`](Self::get): a new transient each time, the same
/// instance for a singleton or a scoped service.
///
/// Like [`Lazy<T>`], it is not an edge of the compile-time graph and holds only a weak handle to
/// its container or scope; `get()` after that is gone returns an error.
///
/// It breaks a cycle of transients (`Lexer` takes `Provider<Parser>`, `Parser` takes `Lexer`);
/// resolve them from a scope: from the root container, rustc cannot prove such a cycle and
/// reports an overflow (E0275).
pub struct Provider<T> {
    source: Arc<dyn Source<T>>,
}

impl<T: Send + 'static> Provider<T> {
    /// A `Provider` that resolves from `handle` (written by `container!`).
    #[doc(hidden)]
    pub fn new<H: Handle + Provide<T>>(handle: &H) -> Self {
        Provider { source: weak_source::<H, T>(handle) }
    }

    /// Resolves a `T`.
    pub async fn get(&self) -> Result<T> {
        self.source.resolve().await
    }
}

impl<T> Clone for Provider<T> {
    fn clone(&self) -> Self {
        Provider { source: Arc::clone(&self.source) }
    }
}

impl<T> fmt::Debug for Provider<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provider").finish_non_exhaustive()
    }
}
