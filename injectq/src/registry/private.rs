//! Private module parts: `private singleton SmtpPool;` in a `module!`. The module's services are
//! built in a context of the module's own (written by `container!`: `AppMailModule` beside `App`,
//! `AppScopeMailModule` beside `AppScope`), which hands out the module's private helpers from its
//! own slots and everything else as the container or scope it stands for. The container itself
//! refuses the helpers, so no code outside the module can resolve them, and two modules may each
//! keep a helper of the same type: each in a slot of its own.

use std::future::Future;

use super::Strategy;
use crate::Result;
use crate::graph::NO_NODE;
use crate::provide::{Produces, Provide, Recipe};

/// A module's context (written by `container!`): it stands for `Inner` (the container, or a
/// scope), which provides everything the module does not keep private.
#[doc(hidden)]
pub trait ModuleCx: Send + Sync + Sized + 'static {
    /// The container or scope it stands for.
    type Inner: Send + Sync;
    /// A handle to it (a reference count: the module's services are built, not resolved, here).
    fn inner(&self) -> Self::Inner;
}

/// How a module's context is had from a context `C` (written by `container!` per module marker
/// `Self` and context: the container, its scope, and the module's own contexts).
#[doc(hidden)]
pub trait ModuleFor<C>: 'static {
    /// The module's context in `C`.
    type Cx: ModuleCx;
    /// It, from `c`.
    fn enter(c: &C) -> Self::Cx;
}

/// How a module's context provides `T`: the strategy its `Provide<T>` impl uses, chosen by the
/// shape (`Shape::FromModule`): [`Public`] for everything but a private helper as `Arc<X>`.
#[doc(hidden)]
pub trait ModuleStrategy<T, Cx> {
    /// As [`Provide::NODE`](crate::Provide::NODE).
    const NODE: usize;
    /// As [`Provide::provide`].
    fn provide(cx: &Cx) -> impl Future<Output = Result<T>> + Send;
}

/// What the module does not keep: resolved from the container or scope the context stands for.
#[doc(hidden)]
pub struct Public;

impl<T, Cx> ModuleStrategy<T, Cx> for Public
where
    Cx: ModuleCx,
    Cx::Inner: Provide<T>,
    T: Send,
{
    const NODE: usize = <Cx::Inner as Provide<T>>::NODE;

    #[allow(clippy::manual_async_fn)]
    fn provide(cx: &Cx) -> impl Future<Output = Result<T>> + Send {
        let inner = cx.inner();
        async move { inner.provide().await }
    }
}

/// A private helper, as `Arc<X>`: from the module's slot, through the module's context
/// (`container!` writes [`PrivateIn`] for each module that keeps `X`).
#[doc(hidden)]
pub struct Private;

/// A private helper `Self` kept by the module whose context is `Cx` (written by `container!`).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::private] `{Self}` is private to another module: only that module's services can use it",
    label = "private to another module",
    note = "a `private` registration is its module's own; register one in this module too, or make it public in its module"
)]
pub trait PrivateIn<Cx>: Send + Sync + 'static {
    /// Its graph id.
    const NODE: usize;
    /// Its instance, created once.
    fn instance(cx: &Cx) -> impl Future<Output = Result<std::sync::Arc<Self>>> + Send;
}

impl<X, Cx> ModuleStrategy<std::sync::Arc<X>, Cx> for Private
where
    X: PrivateIn<Cx>,
{
    const NODE: usize = X::NODE;

    #[inline]
    fn provide(cx: &Cx) -> impl Future<Output = Result<std::sync::Arc<X>>> + Send {
        X::instance(cx)
    }
}

/// A private helper asked of the container or a scope: refused.
#[doc(hidden)]
pub struct PrivateRefused;

/// Never implemented: a private helper is resolved only by its module's services.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::private] `{Self}` is private to the module that registers it: the container cannot hand it out",
    label = "a module's private helper",
    note = "only the module's own services can use it; resolve a service the module makes public, or make the registration public in its module (remove `private`)"
)]
pub trait NotPrivate<C> {}

impl<T, C> crate::now::StrategyNow<T, C> for PrivateRefused {}

impl<T, C> Strategy<T, C> for PrivateRefused
where
    T: NotPrivate<C>,
{
    const NODE: usize = NO_NODE;

    #[allow(clippy::manual_async_fn)]
    fn provide(_: &C) -> impl Future<Output = Result<T>> + Send {
        async { unreachable!("a private helper was provided outside its module") }
    }
}

/// The recipe `R` of a module's service, built in the module's context `M::Cx` (so that it
/// reaches the module's private helpers) from whichever context `C` creates it.
#[doc(hidden)]
pub struct InModule<M, R>(std::marker::PhantomData<fn() -> (M, R)>);

impl<M: 'static, R: Produces> Produces for InModule<M, R> {
    type Output = R::Output;
}

impl<C, M, R> Recipe<C> for InModule<M, R>
where
    C: Sync,
    M: ModuleFor<C>,
    R: Recipe<M::Cx>,
{
    const DEPS: &'static [usize] = R::DEPS;
    const LAYERS: &'static [&'static [usize]] = R::LAYERS;
    const DISPOSABLE: bool = R::DISPOSABLE;

    #[allow(clippy::manual_async_fn)]
    fn build(c: &C) -> impl Future<Output = Result<Self::Output>> + Send {
        let cx = M::enter(c);
        async move { R::build(&cx).await }
    }

    fn disposer(built: &std::sync::Arc<Self::Output>, name: &'static str) -> Option<crate::dispose::Disposer> {
        R::disposer(built, name)
    }
}
