//! What is handed out without being built here: what a scope takes from its root and a child from
//! its parent, a value, a token's value, a handle made from the container (`Lazy`, `Provider`,
//! `Assisted`, `ScopeFactory`), and `Option` of what is registered or declared absent.

use std::future::Future;
use std::sync::Arc;

use super::super::{ChildCtx, Ctx, NestedCtx, Registered, ScopeCtx, Strategy, TokenValued, Valued};
use crate::graph::NO_NODE;
use crate::now::{GetNow, StrategyNow};
use crate::outputs::tagged;
use crate::slot::{Pending, Starts};
use crate::{Container, Error, Lazy, Provide, Provider, Result, ScopeFactory, Tagged, Token};

/// Which container a scope hands a request on to: its root ([`ToRoot`]) or, for a scope of a
/// nested kind, its outer scope ([`ToOuter`]).
pub trait Link<C> {
    /// The container the request goes to.
    type To: Ctx;
    /// That container, for the scope `c`.
    fn to(c: &C) -> &Self::To;
}

/// A scope's root.
pub struct ToRoot;

impl<C: ScopeCtx> Link<C> for ToRoot {
    type To = C::Root;
    #[inline]
    fn to(c: &C) -> &C::Root {
        c.root()
    }
}

/// A nested scope's outer scope.
pub struct ToOuter;

impl<C: NestedCtx> Link<C> for ToOuter {
    type To = C::Parent;
    #[inline]
    fn to(c: &C) -> &C::Parent {
        c.parent()
    }
}

/// What a scope takes from the container `L` links it to, as that one provides it.
pub struct Via<L>(std::marker::PhantomData<fn() -> L>);

/// What a scope takes from its root: singletons, values, tokens, their `Lazy`, `ScopeFactory`.
pub type ViaRoot = Via<ToRoot>;

/// What a scope of a nested kind takes from its outer scope: the outer kind's scoped services and
/// inputs (and, through it, what the outer scope takes from its own outer one).
pub type ViaParent = Via<ToOuter>;

impl<T, C, L> StrategyNow<T, C> for Via<L>
where
    L: Link<C>,
    L::To: GetNow<T>,
{
}

impl<T, C, L> Strategy<T, C> for Via<L>
where
    L: Link<C>,
    L::To: Provide<T>,
{
    const NODE: usize = <L::To as Provide<T>>::NODE;
    const NOW: bool = <L::To as Provide<T>>::NOW;
    const NOW_ALONE: bool = <L::To as Provide<T>>::NOW_ALONE;

    #[inline]
    fn now_ready(c: &C) -> bool {
        L::to(c).now_ready()
    }

    #[inline]
    fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<T> {
        L::to(c).provide_now(failed)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<T>> + Send {
        L::to(c).provide()
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        L::to(c).pending(starts)
    }
}

/// What a child container takes from its parent: its singletons, values and tokens.
pub struct FromParent;

/// `FromParent` for one shape of what a parent hands down (`Arc<X>`, `Tagged<K>`), keyed in the
/// child's graph by the registration `$key`: the two differ in their bounds only.
macro_rules! from_parent {
    (<$key:ident> $shape:ty, where $($bounds:tt)*) => {
        impl<$key, C> StrategyNow<$shape, C> for FromParent
        where
            C: ChildCtx,
            C::Parent: GetNow<$shape>,
            $($bounds)*
        {
        }

        impl<$key, C> Strategy<$shape, C> for FromParent
        where
            C: ChildCtx,
            $key: Registered<C>,
            C::Parent: Provide<$shape>,
            $($bounds)*
        {
            // the child's own graph id: its graph numbers the inherited registrations itself
            const NODE: usize = <$key as Registered<C>>::NODE;
            const NOW: bool = <C::Parent as Provide<$shape>>::NOW;
            const NOW_ALONE: bool = <C::Parent as Provide<$shape>>::NOW_ALONE;

            #[inline]
            fn now_ready(c: &C) -> bool {
                c.parent().now_ready()
            }

            #[inline]
            fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<$shape> {
                c.parent().provide_now(failed)
            }

            #[inline]
            fn provide(c: &C) -> impl Future<Output = Result<$shape>> + Send {
                c.parent().provide()
            }

            #[inline]
            fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
                c.parent().pending(starts)
            }
        }
    };
}

from_parent!(<X> Arc<X>, where X: ?Sized,);
from_parent!(<K> Tagged<K>, where K: Token,);

/// A `value`, given to the root's constructor.
pub struct FromValue;

impl<X: ?Sized, C> StrategyNow<Arc<X>, C> for FromValue {}

impl<X, C> Strategy<Arc<X>, C> for FromValue
where
    C: Ctx,
    X: ?Sized + Registered<C::Root> + Valued<C> + Send + Sync,
{
    const NODE: usize = <X as Registered<C::Root>>::NODE;
    const NOW: bool = true;
    const NOW_ALONE: bool = true;

    #[inline]
    fn now_ready(_: &C) -> bool {
        true
    }

    #[inline]
    fn provide_now(c: &C, _: &mut Option<Error>) -> Option<Arc<X>> {
        Some(Arc::clone(X::value(c)))
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<Arc<X>>> + Send {
        std::future::ready(Ok(Arc::clone(X::value(c))))
    }
}

/// A `token K;`: its value, given to the root's constructor.
pub struct TokenField;

impl<K: Token, C> StrategyNow<Tagged<K>, C> for TokenField {}

impl<K, C> Strategy<Tagged<K>, C> for TokenField
where
    C: Ctx,
    K: Token + Registered<C::Root> + TokenValued<C>,
{
    const NODE: usize = <K as Registered<C::Root>>::NODE;
    const NOW: bool = true;
    const NOW_ALONE: bool = true;

    #[inline]
    fn now_ready(_: &C) -> bool {
        true
    }

    #[inline]
    fn provide_now(c: &C, _: &mut Option<Error>) -> Option<Tagged<K>> {
        Some(tagged::<K>(K::token(c).value()))
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<Tagged<K>>> + Send {
        std::future::ready(Ok(tagged::<K>(K::token(c).value())))
    }
}

/// A handle made from this container or scope, never an edge of the graph and always ready:
/// `Lazy<X>`, `Provider<T>`, `Assisted<F>`, `ScopeFactory<R>` (see [`FromHere`]).
pub struct Here;

/// A handle that a container or scope `C` makes of itself, for the [`Here`] strategy.
pub trait FromHere<C>: Sized {
    /// The handle, made from `c`.
    fn from_here(c: &C) -> Self;
}

/// `Lazy<X>` of a shared service, resolving from this container or scope.
impl<X, C> FromHere<C> for Lazy<X>
where
    C: Ctx + Provide<Arc<X>>,
    X: ?Sized + Send + Sync + 'static,
{
    #[inline]
    fn from_here(c: &C) -> Self {
        Lazy::new(c)
    }
}

/// `Provider<T>`, resolving from this container or scope.
impl<T, C> FromHere<C> for Provider<T>
where
    C: Ctx + Provide<T>,
    T: Send + 'static,
{
    #[inline]
    fn from_here(c: &C) -> Self {
        Provider::new(c)
    }
}

/// `Assisted<F>`, calling `F` with this container or scope.
impl<F, C> FromHere<C> for crate::Assisted<F>
where
    C: Ctx,
    F: crate::AssistedFactory<C>,
{
    #[inline]
    fn from_here(c: &C) -> Self {
        crate::Assisted::new(c)
    }
}

/// `ScopeFactory<R, S>` of the root `R`, opening scopes of its kind `S`; asked of another root,
/// a [`SameContainer`] error.
impl<R, X, S> FromHere<R> for ScopeFactory<X, S>
where
    R: Ctx + Container + SameContainer<X>,
    X: Ctx + Container,
    S: crate::Scope<Root = X, Outer = X>,
{
    #[inline]
    fn from_here(c: &R) -> Self {
        ScopeFactory::new(c.same())
    }
}

/// `Self` is `X`: a `ScopeFactory<X>` is made only by `X`. Its message is for a service that holds
/// the scope factory of another container than the one it is registered in (a production
/// container's, in a module that a test container imports).
#[diagnostic::on_unimplemented(
    message = "[injectq::other-container] `ScopeFactory<{X}>` opens scopes of `{X}`: container `{Self}` cannot provide it",
    label = "a service of `{Self}` can hold a `ScopeFactory<{Self}>`, not one of `{X}`",
    note = "make the service generic over its container, `struct Worker<C: Container> {{ scopes: ScopeFactory<C> }}`, and register it as `singleton Worker<Self>;`: `Self` is the container that declares the registration, or imports the module that holds it"
)]
pub trait SameContainer<X> {
    /// `self`, as the `X` it is.
    fn same(&self) -> &X;
}

impl<X> SameContainer<X> for X {
    #[inline]
    fn same(&self) -> &X {
        self
    }
}

impl<T, C> StrategyNow<T, C> for Here {}

impl<T, C> Strategy<T, C> for Here
where
    C: Ctx,
    T: FromHere<C> + Send,
{
    const NODE: usize = NO_NODE;
    const NOW: bool = true;
    const NOW_ALONE: bool = true;

    #[inline]
    fn now_ready(_: &C) -> bool {
        true
    }

    #[inline]
    fn provide_now(c: &C, _: &mut Option<Error>) -> Option<T> {
        Some(T::from_here(c))
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<T>> + Send {
        std::future::ready(Ok(T::from_here(c)))
    }
}

/// `Option<T>` of what is registered: `Some`, or the error of its resolution, never `None`.
pub struct Optional<S>(std::marker::PhantomData<fn() -> S>);

impl<T, C, S: StrategyNow<T, C>> StrategyNow<Option<T>, C> for Optional<S> {}

impl<T, C, S> Strategy<Option<T>, C> for Optional<S>
where
    S: Strategy<T, C>,
{
    const NODE: usize = S::NODE;
    const NOW: bool = S::NOW;
    const NOW_ALONE: bool = S::NOW_ALONE;

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        S::pending(c, starts)
    }

    #[inline]
    fn now_ready(c: &C) -> bool {
        S::now_ready(c)
    }

    #[inline]
    fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<Option<T>> {
        S::provide_now(c, failed).map(Some)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<Option<T>>> + Send {
        crate::future::some(S::provide(c))
    }
}

/// `Option<T>` of what is declared `absent`: `None`.
pub struct NoneOf;

impl<T, C> StrategyNow<Option<T>, C> for NoneOf {}

impl<T, C> Strategy<Option<T>, C> for NoneOf
where
    T: Send,
{
    const NODE: usize = NO_NODE;
    const NOW: bool = true;
    const NOW_ALONE: bool = true;

    #[inline]
    fn now_ready(_: &C) -> bool {
        true
    }

    #[inline]
    fn provide_now(_: &C, _: &mut Option<Error>) -> Option<Option<T>> {
        Some(None)
    }

    #[inline]
    fn provide(_: &C) -> impl Future<Output = Result<Option<T>>> + Send {
        std::future::ready(Ok(None))
    }
}
