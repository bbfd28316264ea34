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

pub use crate::graph::{Lifetime, Node, check_graph};
pub use crate::provide::NO_NODE;
pub use crate::root::{FactoryKind, RootEntry, RootStrategy, ScopedKind, ScopedOnly, TransientKind};
pub use crate::{BoxError, Error, Factory, Injectable, Provide, Result};

/// A boxed, `Send` future: what singleton and scoped construction is stored as.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Returns the instance in `cell`, creating it with `init` the first time, exactly once however
/// many tasks ask at the same time. A failed or cancelled `init` leaves the cell empty, and the
/// next caller tries again.
pub async fn once<'a, T: ?Sized>(
    cell: &'a OnceCell<Arc<T>>,
    init: impl FnOnce() -> BoxFuture<'a, crate::Result<Arc<T>>>,
) -> crate::Result<Arc<T>> {
    if let Some(v) = cell.get() {
        return Ok(v.clone());
    }
    cell.get_or_try_init(init).await.cloned()
}

/// Builds an `#[injectable]` `T` from `c`, boxed, and wraps it (`Arc::new`, or a coercion to a
/// trait object). Called with a concrete `T` and `C` in generated code, so a missing dependency
/// of `T` is one error, here.
pub fn build_arc<'a, T, C, U>(c: &'a C, name: &'static str, wrap: fn(T) -> Arc<U>) -> BoxFuture<'a, crate::Result<Arc<U>>>
where
    T: Injectable<C>,
    C: Sync,
    U: ?Sized + 'a,
{
    Box::pin(async move {
        match T::build(c).await {
            Ok(v) => Ok(wrap(v)),
            Err(e) => Err(e.within(name)),
        }
    })
}

/// Calls factory `F`, whose output must be the registered `T`, with arguments from `c`, boxed,
/// and wraps its output.
pub fn factory_arc<'a, F, C, T, U>(c: &'a C, name: &'static str, wrap: fn(T) -> Arc<U>) -> BoxFuture<'a, crate::Result<Arc<U>>>
where
    F: Factory<C, Output = T>,
    C: Sync,
    T: 'a,
    U: ?Sized + 'a,
{
    Box::pin(async move {
        match F::call(c).await {
            Ok(v) => Ok(wrap(v)),
            Err(e) => Err(e.within(name)),
        }
    })
}

/// Builds a transient `T` by value, unboxed: a graph of transients costs what nested struct
/// literals cost.
pub fn transient<T, C>(c: &C, name: &'static str) -> impl Future<Output = crate::Result<T>> + Send
where
    T: Injectable<C>,
    C: Sync,
{
    async move {
        match T::build(c).await {
            Ok(v) => Ok(v),
            Err(e) => Err(e.within(name)),
        }
    }
}

/// Calls the transient factory `F`, whose output must be the registered `T`, unboxed.
pub fn transient_factory_as<F, C, T>(c: &C, name: &'static str) -> impl Future<Output = crate::Result<T>> + Send
where
    F: Factory<C, Output = T>,
    C: Sync,
{
    async move {
        match F::call(c).await {
            Ok(v) => Ok(v),
            Err(e) => Err(e.within(name)),
        }
    }
}

/// Maps the value of a successful resolution: a transient into its `Arc`, `Box` or trait object.
pub async fn map_ok<T, U>(resolved: impl Future<Output = crate::Result<T>>, wrap: impl FnOnce(T) -> U) -> crate::Result<U> {
    resolved.await.map(wrap)
}

/// Turns the `Result` of a factory into injectq's, keeping the error as the source.
pub fn factory_result<T, E: Into<BoxError>>(name: &'static str, r: core::result::Result<T, E>) -> crate::Result<T> {
    r.map_err(|e| Error::factory(name, e))
}

/// Turns the `Result` of an init hook into injectq's, keeping the error as the source.
pub fn init_result<E: Into<BoxError>>(ty: &'static str, r: core::result::Result<(), E>) -> crate::Result<()> {
    r.map_err(|e| Error::init(ty, e))
}
