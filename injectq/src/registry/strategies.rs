//! The strategies: how a root or a scope provides each shape of each lifetime. Generic, so each
//! is type-checked once for every container; `container!` only says which applies.

use std::future::Future;
use std::sync::Arc;

use super::{
    Alias, Build, ChildCtx, Coerce, Ctx, Registered, RootCtx, ScopeCtx, Shared, Strategy, TokenValued, Transient,
    Unwrap, Valued,
};
use crate::__private::tagged;
use crate::mapped::mapped;
use crate::now::{BuildsNow, GetNow, StrategyNow};
use crate::provide::{NO_NODE, now_result};
use crate::slot::{Assembly, Creation, Finished, Gate, Pending, Starts, assembled, assembled_pending, once, settling};
use crate::{Container, Error, Lazy, Provide, Provider, Result, ScopeFactory, Tagged, Token};

/// The builder of shared registration `X` in `C`.
type SharedBuilder<X, C> = <X as Shared<C>>::Builder;
/// The builder of transient `X` of scope `S`.
type TransientBuilder<X, S> = <X as Transient<S>>::Builder;
/// What `B` builds.
type Built<B> = <B as super::Builds>::Output;

/// How assembled service `X` is created in `C`: a table made once, at compile time.
fn assembly<X, C>() -> &'static Assembly<C>
where
    C: Ctx,
    X: ?Sized + Shared<C>,
{
    &const {
        Assembly {
            name: <X as Shared<C>>::NAME,
            ready: SharedBuilder::<X, C>::now_ready,
            pending: SharedBuilder::<X, C>::pending,
            finish: finish::<X, C>,
        }
    }
}

/// The creation of shared service `X` in `c`, if it is not created yet (see
/// [`Provide::pending`]).
#[inline]
fn pending_creation<X, C>(c: &C, starts: Starts) -> Option<Pending<'_>>
where
    C: Ctx,
    X: ?Sized + Shared<C>,
{
    if const { <X as Shared<C>>::ASSEMBLED } {
        assembled_pending(X::slot(c), c, c.bag(), assembly::<X, C>(), starts)
    } else if starts == Starts::PlainCalls {
        // its creation awaits: not started here, but by the driver of the creation that asked,
        // nested in it
        X::slot(c).get().is_none().then(|| Pending::NotNow(crate::Error::not_ready(<X as Shared<C>>::NAME)))
    } else {
        created::<X, C>(c).pending()
    }
}

/// Builds assembled service `X` by plain calls and stores it in its slot in `c`, whose gate is
/// held.
fn finish<X, C>(c: &C, gate: &Gate<'_>) -> Finished
where
    C: Ctx,
    X: ?Sized + Shared<C>,
{
    let name = <X as Shared<C>>::NAME;
    crate::slot::finish(
        X::slot(c),
        gate,
        || built_now::<X, C>(c),
        <X as Shared<C>>::disposer,
        <X as Shared<C>>::wrap,
        c.bag(),
        name,
    )
}

/// Shared service `X` built in `c` by plain calls, as the slot takes it: one `Result`, or `None`
/// when a dependency cannot be had now.
#[inline]
fn built_now<X, C>(c: &C) -> Option<Result<Built<SharedBuilder<X, C>>>>
where
    C: Ctx,
    X: ?Sized + Shared<C>,
{
    now_result(|failed| SharedBuilder::<X, C>::build_now(c, failed))
}

/// A singleton (from the root) or a scoped service (from its scope): its slot's instance, created
/// once.
pub struct Slotted;

/// The slot's instance of `X` in `c`, created by its builder the first time (see [`once`]).
pub fn created<X, C>(c: &C) -> crate::slot::Once<'_, X::Stored>
where
    C: Ctx,
    X: ?Sized + Shared<C>,
{
    // a constant condition: an assembled service's `async` building is not even compiled
    if const { <X as Shared<C>>::ASSEMBLED } {
        return assembled(X::slot(c), c, c.bag(), assembly::<X, C>());
    }
    let now = if <SharedBuilder<X, C> as Build<C>>::NOW {
        Some((move || SharedBuilder::<X, C>::now_ready(c), move || built_now::<X, C>(c)))
    } else {
        None
    };
    once(
        X::slot(c),
        Creation {
            name: <X as Shared<C>>::NAME,
            bag: c.bag(),
            build: move || SharedBuilder::<X, C>::build(c),
            now,
            disposer: <X as Shared<C>>::disposer,
            wrap: <X as Shared<C>>::wrap,
        },
    )
}

// read from its slot (or created by plain calls, where it can be, when `get` asks)
impl<X: ?Sized, C> StrategyNow<Arc<X>, C> for Slotted {}

impl<X, C> Strategy<Arc<X>, C> for Slotted
where
    C: Ctx,
    X: ?Sized + Registered<C::Root> + Shared<C, Stored = X> + Send + Sync,
{
    const NODE: usize = <X as Registered<C::Root>>::NODE;
    const NOW: bool = true;
    const NOW_ALONE: bool = true;

    #[inline]
    fn now_ready(c: &C) -> bool {
        X::slot(c).get().is_some()
    }

    #[inline]
    fn provide_now(c: &C, _: &mut Option<Error>) -> Option<Arc<X>> {
        X::slot(c).get().map(Arc::clone)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<Arc<X>>> + Send {
        created::<X, C>(c)
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        pending_creation::<X, C>(c, starts)
    }
}

/// A binding of a shared service (`singleton dyn Trait => Impl;`): the implementation's own
/// instance, resolved from the same container or scope, as the trait object. It has no slot of
/// its own: one instance, created and disposed by the implementation's registration.
pub struct Aliased;

/// The implementation of binding `X` in `C`.
type AliasTarget<X, C> = Arc<<X as Alias<<C as Ctx>::Root>>::Target>;

impl<X, C> StrategyNow<Arc<X>, C> for Aliased
where
    C: Ctx + GetNow<AliasTarget<X, C>>,
    X: ?Sized + Alias<C::Root>,
{
}

impl<X, C> Strategy<Arc<X>, C> for Aliased
where
    C: Ctx + Provide<AliasTarget<X, C>>,
    X: ?Sized + Registered<C::Root> + Alias<C::Root>,
{
    const NODE: usize = <X as Registered<C::Root>>::NODE;
    const NOW: bool = <C as Provide<AliasTarget<X, C>>>::NOW;
    const NOW_ALONE: bool = <C as Provide<AliasTarget<X, C>>>::NOW_ALONE;

    #[inline]
    fn now_ready(c: &C) -> bool {
        <C as Provide<AliasTarget<X, C>>>::now_ready(c)
    }

    #[inline]
    fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<Arc<X>> {
        let target = <C as Provide<AliasTarget<X, C>>>::provide_now(c, failed);
        made_now::<X, C::Root, _, _>(target, failed, X::arc)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<Arc<X>>> + Send {
        mapped(<C as Provide<AliasTarget<X, C>>>::provide(c), made::<X, C::Root, _, _>(X::arc))
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        <C as Provide<AliasTarget<X, C>>>::pending(c, starts).map(|p| p.within(<X as Registered<C::Root>>::NAME))
    }
}

/// A token made by a factory: its slot's value, created once, handed out as `Tagged<K>`.
pub struct TokenSlot;

impl<K: Token, C> StrategyNow<Tagged<K>, C> for TokenSlot {}

impl<K, C> Strategy<Tagged<K>, C> for TokenSlot
where
    C: Ctx,
    K: Token + Registered<C::Root> + Shared<C, Stored = <K as Token>::Value>,
{
    const NODE: usize = <K as Registered<C::Root>>::NODE;
    const NOW: bool = true;
    const NOW_ALONE: bool = true;

    #[inline]
    fn now_ready(c: &C) -> bool {
        K::slot(c).get().is_some()
    }

    #[inline]
    fn provide_now(c: &C, _: &mut Option<Error>) -> Option<Tagged<K>> {
        K::slot(c).get().map(|v| tagged::<K>(v))
    }

    fn provide(c: &C) -> impl Future<Output = Result<Tagged<K>>> + Send {
        mapped(created::<K, C>(c), |r| r.map(|v| tagged::<K>(&v)))
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        pending_creation::<K, C>(c, starts)
    }
}

/// What a scope takes from its root: singletons, values, tokens, their `Lazy`, `ScopeFactory`.
pub struct ViaRoot;

impl<T, C> StrategyNow<T, C> for ViaRoot
where
    C: ScopeCtx,
    C::Root: GetNow<T>,
{
}

impl<T, C> Strategy<T, C> for ViaRoot
where
    C: ScopeCtx,
    C::Root: Provide<T>,
{
    const NODE: usize = <C::Root as Provide<T>>::NODE;
    const NOW: bool = <C::Root as Provide<T>>::NOW;
    const NOW_ALONE: bool = <C::Root as Provide<T>>::NOW_ALONE;

    #[inline]
    fn now_ready(c: &C) -> bool {
        c.root().now_ready()
    }

    #[inline]
    fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<T> {
        c.root().provide_now(failed)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<T>> + Send {
        c.root().provide()
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        c.root().pending(starts)
    }
}

/// What a child container takes from its parent: its singletons, values and tokens.
pub struct FromParent;

impl<X, C> StrategyNow<Arc<X>, C> for FromParent
where
    X: ?Sized,
    C: ChildCtx,
    C::Parent: GetNow<Arc<X>>,
{
}

impl<X, C> Strategy<Arc<X>, C> for FromParent
where
    C: ChildCtx,
    X: ?Sized + Registered<C>,
    C::Parent: Provide<Arc<X>>,
{
    // the child's own graph id: its graph numbers the inherited registrations itself
    const NODE: usize = <X as Registered<C>>::NODE;
    const NOW: bool = <C::Parent as Provide<Arc<X>>>::NOW;
    const NOW_ALONE: bool = <C::Parent as Provide<Arc<X>>>::NOW_ALONE;

    #[inline]
    fn now_ready(c: &C) -> bool {
        c.parent().now_ready()
    }

    #[inline]
    fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<Arc<X>> {
        c.parent().provide_now(failed)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<Arc<X>>> + Send {
        c.parent().provide()
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        c.parent().pending(starts)
    }
}

impl<K, C> StrategyNow<Tagged<K>, C> for FromParent
where
    K: Token,
    C: ChildCtx,
    C::Parent: GetNow<Tagged<K>>,
{
}

impl<K, C> Strategy<Tagged<K>, C> for FromParent
where
    C: ChildCtx,
    K: Token + Registered<C>,
    C::Parent: Provide<Tagged<K>>,
{
    const NODE: usize = <K as Registered<C>>::NODE;
    const NOW: bool = <C::Parent as Provide<Tagged<K>>>::NOW;
    const NOW_ALONE: bool = <C::Parent as Provide<Tagged<K>>>::NOW_ALONE;

    #[inline]
    fn now_ready(c: &C) -> bool {
        c.parent().now_ready()
    }

    #[inline]
    fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<Tagged<K>> {
        c.parent().provide_now(failed)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<Tagged<K>>> + Send {
        c.parent().provide()
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        c.parent().pending(starts)
    }
}

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

/// `future`, boxed: its type no longer holds the types of what it awaits.
#[inline]
fn boxed<'a, T>(future: impl Future<Output = T> + Send + 'a) -> crate::__private::BoxFuture<'a, T> {
    Box::pin(future)
}

/// `f()`, inline; or, when `call` (a transient's by-value graph is large: see
/// [`outlined`](crate::__private::outlined)), by a call of a function of its own, so that the
/// optimiser does not write the whole graph out inside everything that needs it.
#[inline(always)]
fn inline_or_call<T>(call: bool, f: impl FnOnce() -> T) -> T {
    if call { called(f) } else { f() }
}

/// `f()`, never inlined.
#[inline(never)]
fn called<T>(f: impl FnOnce() -> T) -> T {
    f()
}

/// `made(wrap)`: what a transient's builder returned, made into its shape by `wrap`, with the
/// transient's name on the error path of a failure.
#[inline]
fn made<X, R, B, S>(wrap: fn(B) -> S) -> impl Fn(Result<B>) -> Result<S> + Copy + Send + Sync
where
    X: ?Sized + Registered<R>,
{
    move |built| match built {
        Ok(b) => Ok(wrap(b)),
        Err(e) => Err(e.within(<X as Registered<R>>::NAME)),
    }
}

/// [`made`] without awaiting: what a transient's builder built by plain calls, made into its
/// shape by `wrap`; when it failed, the transient's name on the path of the error in `failed`.
#[inline]
fn made_now<X, R, B, S>(built: Option<B>, failed: &mut Option<Error>, wrap: fn(B) -> S) -> Option<S>
where
    X: ?Sized + Registered<R>,
{
    match built {
        Some(b) => Some(wrap(b)),
        None => {
            *failed = failed.take().map(|e| e.within(<X as Registered<R>>::NAME));
            None
        }
    }
}

/// Writes the two strategies of a transient shape: `$in_scope`, built in its scope (checked
/// where the container is declared), and `$at_root`, built from the root (checked where it is
/// resolved: a transient that needs a scoped service cannot be built there, and the error names
/// that captive dependency). What is built is made into `$shape` by `$wrap::$make`.
macro_rules! transient_shape {
    (
        $(#[$scope_doc:meta])* $in_scope:ident,
        $(#[$root_doc:meta])* $at_root:ident:
        $shape:ty, [$($relax:tt)*] $wrap:ident::$make:ident
    ) => {
        $(#[$scope_doc])*
        pub struct $in_scope;

        impl<X, C> StrategyNow<$shape, C> for $in_scope
        where
            C: Ctx,
            X: $($relax)* Transient<C>,
            TransientBuilder<X, C>: BuildsNow<C>,
        {
        }

        impl<X, C> Strategy<$shape, C> for $in_scope
        where
            C: Ctx,
            X: $($relax)* Registered<C::Root> + Transient<C>,
            X::Wrap: $wrap<Built<TransientBuilder<X, C>>, X>,
        {
            const NODE: usize = <X as Registered<C::Root>>::NODE;
            const NOW: bool = <TransientBuilder<X, C> as Build<C>>::NOW;

            #[inline]
            fn now_ready(c: &C) -> bool {
                inline_or_call(X::OUTLINED, || <TransientBuilder<X, C> as Build<C>>::now_ready(c))
            }

            #[inline]
            fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<$shape> {
                inline_or_call(X::OUTLINED, || {
                    made_now::<X, C::Root, _, _>(<TransientBuilder<X, C> as Build<C>>::build_now(c, failed), failed, X::Wrap::$make)
                })
            }

            #[inline]
            fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
                <TransientBuilder<X, C> as Build<C>>::pending(c, starts).map(|p| p.within(<X as Registered<C::Root>>::NAME))
            }

            // boxed: a transient's future would otherwise hold its dependencies' futures, nested
            // as deep as the graph (which the compiler must lay out); built by plain calls when it
            // can be, a transient only takes this path when something must be awaited
            fn provide(c: &C) -> impl Future<Output = Result<$shape>> + Send {
                // a constant condition: a transient that settles is never built by `async` code
                if const { <X as Transient<C>>::SETTLES } {
                    return settling(c, <Self as Strategy<$shape, C>>::pending, <Self as Strategy<$shape, C>>::provide_now);
                }
                boxed(mapped(<TransientBuilder<X, C> as Build<C>>::build(c), made::<X, C::Root, _, _>(X::Wrap::$make)))
            }
        }

        $(#[$root_doc])*
        pub struct $at_root;

        impl<X, C> StrategyNow<$shape, C> for $at_root
        where
            C: RootCtx<Root = C>,
            X: $($relax)* Transient<C::Scope>,
            TransientBuilder<X, C::Scope>: BuildsNow<C>,
        {
        }

        impl<X, C> Strategy<$shape, C> for $at_root
        where
            C: RootCtx<Root = C>,
            X: $($relax)* Registered<C> + Transient<C::Scope>,
            TransientBuilder<X, C::Scope>: Build<C>,
            X::Wrap: $wrap<Built<TransientBuilder<X, C::Scope>>, X>,
        {
            const NODE: usize = <X as Registered<C>>::NODE;
            const NOW: bool = <TransientBuilder<X, C::Scope> as Build<C>>::NOW;

            #[inline]
            fn now_ready(c: &C) -> bool {
                inline_or_call(X::OUTLINED, || <TransientBuilder<X, C::Scope> as Build<C>>::now_ready(c))
            }

            #[inline]
            fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<$shape> {
                inline_or_call(X::OUTLINED, || {
                    made_now::<X, C, _, _>(<TransientBuilder<X, C::Scope> as Build<C>>::build_now(c, failed), failed, X::Wrap::$make)
                })
            }

            #[inline]
            fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
                <TransientBuilder<X, C::Scope> as Build<C>>::pending(c, starts).map(|p| p.within(<X as Registered<C>>::NAME))
            }

            fn provide(c: &C) -> impl Future<Output = Result<$shape>> + Send {
                // a constant condition: a transient that settles is never built by `async` code
                if const { <X as Transient<C::Scope>>::SETTLES } {
                    return settling(c, <Self as Strategy<$shape, C>>::pending, <Self as Strategy<$shape, C>>::provide_now);
                }
                boxed(mapped(<TransientBuilder<X, C::Scope> as Build<C>>::build(c), made::<X, C, _, _>(X::Wrap::$make)))
            }
        }
    };
}

transient_shape!(
    /// A transient by value, built in its scope.
    ValueInScope,
    /// A transient by value, built from the root.
    ValueAtRoot: X, [] Unwrap::unwrap
);
transient_shape!(
    /// A transient in an `Arc`, built in its scope.
    ArcInScope,
    /// A transient in an `Arc`, built from the root.
    ArcAtRoot: Arc<X>, [?Sized +] Coerce::arc
);
transient_shape!(
    /// A transient in a `Box`, built in its scope.
    BoxInScope,
    /// A transient in a `Box`, built from the root.
    BoxAtRoot: Box<X>, [?Sized +] Coerce::boxed
);

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

/// `ScopeFactory<R>` of the root `R`.
impl<R> FromHere<R> for ScopeFactory<R>
where
    R: Ctx + Container,
{
    #[inline]
    fn from_here(c: &R) -> Self {
        ScopeFactory::new(c)
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
        crate::__private::some(S::provide(c))
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
