//! How a root container reaches transient and scoped registrations: lazily, through one blanket
//! impl per container, so that each is checked where it is needed.
//!
//! A transient may depend on a scoped service: that is fine when it is resolved from a scope,
//! and an error only where a singleton (or code holding the root) needs it. The root therefore
//! has no concrete impl for transients and scoped services; `container!` writes one
//! `impl<T> Provide<T> for App where T: RootEntry<App>, T::Kind: RootStrategy<T, App>` and one
//! [`RootEntry`] impl per requested shape. Scoped shapes route into [`ScopedOnly`], which is never
//! implemented and whose message names the captive dependency.

use std::future::Future;

use crate::mapped::mapped;
use crate::{Factory, Injectable, Result};

/// A registration that the root container reaches lazily (transients) or must refuse (scoped).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "container `{C}` has no provider for `{Self}`",
    label = "`{Self}` is not registered in `{C}`",
    note = "register it in the `container!` declaration: `singleton`, `scoped`, `transient`, `value`, `token`, or `dyn Trait => Impl`; an optional dependency (`Option<T>`) can instead be declared `absent T;`",
    note = "singletons, scoped services and values are resolved as `Arc<T>` (or `Lazy<T>`), transients as `T`, `Arc<T>` or `Box<T>` (or `Provider<T>`), tokens as `Tagged<K>`"
)]
pub trait RootEntry<C>: Sized + Send + 'static {
    /// graph id
    const NODE: usize;
    /// the registration's service name, for error paths
    const NAME: &'static str;
    /// what is built: the struct itself (or the factory's output)
    type Inner;
    /// [`TransientKind`], [`FactoryKind`] or [`ScopedKind`]
    type Kind: 'static;
    /// the requested shape from what was built: identity, `Arc::new`, `Box::new`, or a coercion
    /// to a trait object
    fn wrap(inner: Self::Inner) -> Self;
}

/// Builds a lazily checked registration from the root.
#[doc(hidden)]
pub trait RootStrategy<T, C> {
    fn build_root(c: &C) -> impl Future<Output = Result<T>> + Send;
    /// as [`Provide::NOW`](crate::Provide::NOW)
    const NOW: bool = false;
    /// as [`Provide::now_ready`](crate::Provide::now_ready)
    fn now_ready(c: &C) -> bool {
        let _ = c;
        false
    }
    /// as [`Provide::provide_now`](crate::Provide::provide_now)
    fn build_now(c: &C) -> Option<Result<T>> {
        let _ = c;
        None
    }
}

/// A transient `#[injectable]` registration.
#[doc(hidden)]
pub struct TransientKind;
/// A transient factory registration.
#[doc(hidden)]
pub struct FactoryKind<F>(std::marker::PhantomData<F>);
/// A scoped registration, which the root must refuse.
#[doc(hidden)]
pub struct ScopedKind;

/// What was built, in the requested shape; or the failure, with this registration on its path.
fn wrapped<T: RootEntry<C>, C>(built: Result<T::Inner>) -> Result<T> {
    match built {
        Ok(inner) => Ok(T::wrap(inner)),
        Err(e) => Err(e.within(T::NAME)),
    }
}

impl<T, C> RootStrategy<T, C> for TransientKind
where
    T: RootEntry<C> + Send,
    T::Inner: Injectable<C>,
    C: Sync,
{
    fn build_root(c: &C) -> impl Future<Output = Result<T>> + Send {
        // a combinator, not another async state machine: one less layer to compile and poll
        mapped(<T::Inner as Injectable<C>>::build(c), wrapped::<T, C>)
    }

    const NOW: bool = <T::Inner as Injectable<C>>::NOW;

    fn now_ready(c: &C) -> bool {
        <T::Inner as Injectable<C>>::now_ready(c)
    }

    fn build_now(c: &C) -> Option<Result<T>> {
        <T::Inner as Injectable<C>>::build_now(c).map(wrapped::<T, C>)
    }
}

impl<T, C, F> RootStrategy<T, C> for FactoryKind<F>
where
    T: RootEntry<C> + Send,
    F: Factory<C, Output = T::Inner>,
    C: Sync,
{
    fn build_root(c: &C) -> impl Future<Output = Result<T>> + Send {
        mapped(F::call(c), wrapped::<T, C>)
    }
}

impl<T, C> RootStrategy<T, C> for ScopedKind
where
    T: ScopedOnly<C> + Send,
    C: Sync,
{
    async fn build_root(_: &C) -> Result<T> {
        // `T: ScopedOnly<C>` never holds, so no code can reach this
        unreachable!("a scoped service was resolved from the root container")
    }
}

/// Never implemented: resolving a scoped service from the root container, directly or through a
/// singleton or a transient, fails on this bound with a message that names the captive
/// dependency.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "captive dependency: `{Self}` is scoped and cannot be resolved from the root container `{C}`",
    label = "scoped service needed outside a scope",
    note = "a singleton lives as long as the container and is built from the root, where no scope exists; so is anything resolved from the root itself",
    note = "make the dependent `scoped`, make the dependency a `singleton`, or resolve from a scope: `app.create_scope().resolve::<..>()`"
)]
pub trait ScopedOnly<C> {}
