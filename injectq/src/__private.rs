//! What generated code uses, always as `::injectq::__private::...`. Not a public API: it may
//! change in any release.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use core::future::ready;
pub use core::marker::{Send, Sync};
pub use core::option::Option;
pub use core::result::Result::{Err, Ok};
pub use std::boxed::Box;
pub use std::sync::Arc as ArcType;
pub use tokio::sync::OnceCell;

pub use crate::dispose::{Disposable, DisposeBag, Disposer};
pub use crate::graph::{Graph, Lifetime, Node, check_graph};
pub use crate::lazy::Handle;
pub use crate::provide::NO_NODE;
pub use crate::root::{FactoryKind, RootEntry, RootStrategy, ScopedKind, ScopedOnly, TransientKind};
pub use crate::{BoxError, Container, Error, Factory, Injectable, Provide, Result, Scope};
pub use crate::{Lazy, Provider, Tagged, Token};

/// A boxed, `Send` future: what singleton and scoped construction is stored as.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Returns the instance in `cell`, creating it with `init` the first time, exactly once however
/// many tasks ask at the same time. A failed or cancelled `init` leaves the cell empty, and the
/// next caller tries again. A task that asks for a service it is itself constructing gets a
/// `Cycle` error instead of waiting for itself.
pub fn once<'a, T, Fut>(
    cell: &'a OnceCell<Arc<T>>,
    name: &'static str,
    init: impl FnOnce() -> Fut + Send + 'a,
) -> impl Future<Output = crate::Result<Arc<T>>> + Send + 'a
where
    T: ?Sized + Send + Sync + 'a,
    Fut: Future<Output = crate::Result<Arc<T>>> + Send + 'a,
{
    use futures_util::future::{Either, ready};
    if let Some(v) = cell.get() {
        return Either::Left(ready(Ok(v.clone())));
    }
    // the construction, with its cycle guard, is one boxed future: one allocation, few stack
    // frames per level of a deep chain of shared services, and a small future for the caller
    let address = std::ptr::from_ref(cell).cast::<()>() as usize;
    let construction = async move { cell.get_or_try_init(init).await.cloned() };
    Either::Right(match crate::constructing::guarded((address, name), construction) {
        Ok(guarded) => Either::Left(Box::pin(guarded) as BoxFuture<'a, _>),
        Err(cycle) => Either::Right(ready(Err(cycle))),
    })
}

/// Builds a singleton or scoped service, records how to dispose it, and wraps it (the identity,
/// or a coercion to a trait object). Runs inside [`once`]'s boxed construction.
///
/// Nothing is built once `bag` is closed; an instance whose construction finishes while the bag
/// is being disposed is disposed at once and refused, so no disposer is lost.
pub async fn shared<T, U>(
    building: impl Future<Output = crate::Result<T>>,
    name: &'static str,
    bag: &DisposeBag,
    disposer: fn(&Arc<T>, &'static str) -> Option<Disposer>,
    wrap: fn(Arc<T>) -> Arc<U>,
) -> crate::Result<Arc<U>>
where
    T: Send + Sync,
    U: ?Sized,
{
    if bag.is_closed() {
        return Err(Error::disposed(bag.owner()).within(name));
    }
    #[cfg(feature = "tracing")]
    let building = crate::trace::creation(name, bag.owner(), building);
    let built = match building.await {
        Ok(v) => Arc::new(v),
        Err(e) => return Err(e.within(name)),
    };
    if let Some(disposer) = disposer(&built, name)
        && let Err(disposer) = bag.push(disposer)
    {
        // boxed: this rare path's state would otherwise be carried by every construction
        if let Err(failure) = Box::pin(disposer.run()).await {
            tracing::error!(target: "injectq", %failure, "disposing `{name}`, created while `{}` was being disposed", bag.owner());
        }
        return Err(Error::disposed(bag.owner()).within(name));
    }
    Ok(wrap(built))
}

/// `resolve()`: fails at once with [`ErrorKind::Disposed`](crate::ErrorKind::Disposed) if any of
/// `bags` is closed, and is the resolution itself otherwise (no extra layer on the hot path).
pub fn checked<T>(
    bags: [&DisposeBag; 2],
    resolving: impl Future<Output = crate::Result<T>>,
) -> impl Future<Output = crate::Result<T>> {
    use futures_util::FutureExt;
    use futures_util::future::{Either, ready};
    match open(bags) {
        Ok(()) => Either::Left(resolving),
        // holds only the error (not a `T`), so the future is `Send` whatever `T` is
        Err(disposed) => Either::Right(ready(disposed).map(Err as fn(Error) -> crate::Result<T>)),
    }
}

/// `Err(Disposed)` if any of `bags` is closed.
pub fn open(bags: [&DisposeBag; 2]) -> crate::Result<()> {
    match bags.into_iter().find(|bag| bag.is_closed()) {
        Some(bag) => Err(Error::disposed(bag.owner())),
        None => Ok(()),
    }
}

/// `on_dispose`: records `handler` in `bag`, or fails if it is already disposed.
pub fn on_dispose<F, Fut, E>(bag: &DisposeBag, handler: F) -> crate::Result<()>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = core::result::Result<(), E>> + Send + 'static,
    E: Into<BoxError>,
{
    bag.push(Disposer::new("disposal handler", handler)).map_err(|_| Error::disposed(bag.owner()))
}

/// A dispose hook's future, as a disposer: `dispose = close_pool` with
/// `async fn close_pool(pool: &Pool) -> Result<(), E>`.
pub fn hook_result(r: impl HookOutcome) -> core::result::Result<(), BoxError> {
    r.into_result()
}

/// Maps the value of a successful resolution: a transient into its `Arc`, `Box` or trait object.
pub fn map_ok<T, U>(
    resolved: impl Future<Output = crate::Result<T>>,
    wrap: impl FnOnce(T) -> U,
) -> impl Future<Output = crate::Result<U>> {
    use futures_util::FutureExt;
    resolved.map(|r| r.map(wrap))
}

/// Turns the `Result` of a factory into injectq's, keeping the error as the source.
pub fn factory_result<T, E: Into<BoxError>>(name: &'static str, r: core::result::Result<T, E>) -> crate::Result<T> {
    r.map_err(|e| Error::factory(name, e))
}

/// What an init or dispose hook returns: `Result<(), E>`.
#[diagnostic::on_unimplemented(
    message = "a hook must return `Result<(), E>`, but this one returns `{Self}`",
    label = "hook with the wrong return type",
    note = "write an init hook as `async fn name(&mut self) -> Result<(), E>`, a dispose hook as `async fn name(service: &T) -> Result<(), E>`, where `E: std::error::Error + Send + Sync + 'static`"
)]
pub trait HookOutcome {
    /// The error, boxed.
    fn into_result(self) -> core::result::Result<(), BoxError>;
}

impl<E: Into<BoxError>> HookOutcome for core::result::Result<(), E> {
    fn into_result(self) -> core::result::Result<(), BoxError> {
        self.map_err(Into::into)
    }
}

/// Turns the outcome of an init hook into injectq's, keeping the error as the source.
pub fn init_result(ty: &'static str, r: impl HookOutcome) -> crate::Result<()> {
    r.into_result().map_err(|e| Error::init(ty, e))
}

/// Adds `name` to the error path of a failed resolution.
pub fn within<T>(
    resolving: impl Future<Output = crate::Result<T>>,
    name: &'static str,
) -> impl Future<Output = crate::Result<T>> {
    use futures_util::FutureExt;
    resolving.map(move |r| r.map_err(|e| e.within(name)))
}

/// Checks that a factory builds the registered type (`singleton Pool = make_pool;`).
#[diagnostic::on_unimplemented(
    message = "this factory builds `{Self}`, but it is registered as `{T}`",
    label = "the factory's output is not `{T}`",
    note = "register the type the factory returns, or make the factory return `{T}`"
)]
pub trait FactoryOutput<T> {
    /// identity
    fn into_registered(self) -> T;
}

impl<T> FactoryOutput<T> for T {
    fn into_registered(self) -> T {
        self
    }
}

/// A factory's output as the registered type; one error if they differ.
pub fn registered<T: FactoryOutput<K>, K>(v: T) -> K {
    v.into_registered()
}

/// Runs `f` with the scope whose state is `state` entered as the task's current scope.
pub fn enter<S: core::any::Any + Send + Sync, F: Future>(state: &Arc<S>, f: F) -> impl Future<Output = F::Output> {
    crate::current::enter(Arc::clone(state) as Arc<dyn core::any::Any + Send + Sync>, f)
}

/// The state of the innermost entered scope of type `S`, or the error that names `scope`.
pub fn current<S: core::any::Any + Send + Sync>(scope: &'static str) -> crate::Result<Arc<S>> {
    crate::current::current::<S>().ok_or_else(|| Error::no_current_scope(scope))
}

/// `start()`: runs every singleton's creation concurrently; on the first failure, disposes what
/// was created and returns that failure (a failing disposal is logged).
pub async fn start(bag: &DisposeBag, creations: Vec<BoxFuture<'_, crate::Result<()>>>) -> crate::Result<()> {
    #[cfg(feature = "tracing")]
    let started = crate::trace::starting(bag.owner(), creations.len());
    match futures_util::future::try_join_all(creations).await {
        Ok(_) => {
            #[cfg(feature = "tracing")]
            crate::trace::started(bag.owner(), started);
            Ok(())
        }
        Err(error) => {
            if let Err(disposal) = bag.dispose().await {
                tracing::error!(target: "injectq", %disposal, "start-up of `{}` failed; disposing what it created failed too", bag.owner());
            }
            Err(error)
        }
    }
}

/// A resolution whose value is dropped: one creation of `start()`.
pub fn created<'a, T: Send + 'a>(
    resolving: impl Future<Output = crate::Result<T>> + Send + 'a,
) -> BoxFuture<'a, crate::Result<()>> {
    Box::pin(async move { resolving.await.map(drop) })
}

/// A token's value as the container provides it.
pub fn tagged<K: Token>(value: &K::Value) -> Tagged<K> {
    Tagged(value.clone())
}

/// `Option<T>` for a dependency the container provides: `Some`, or the error of its resolution
/// (never silently `None`).
pub fn some<T>(resolving: impl Future<Output = crate::Result<T>>) -> impl Future<Output = crate::Result<Option<T>>> {
    use futures_util::FutureExt;
    resolving.map(|r| r.map(Some))
}
