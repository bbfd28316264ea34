//! A singleton's or scoped service's strategies: its slot's instance, created once (assembled, or
//! by its builder); a binding's, the implementation's instance; a token made by a factory.

use std::future::Future;
use std::sync::Arc;

use super::super::{Alias, Ctx, Registered, Shared, Strategy};
use super::{Built, SharedBuilder, made, made_now};
use crate::error::now_result;
use crate::future::mapped;
use crate::now::{GetNow, StrategyNow};
use crate::outputs::tagged;
use crate::provide::Recipe;
use crate::slot::{Assembly, Creation, Finished, Gate, Pending, Starts, assembled, assembled_pending, once};
use crate::{Error, Provide, Result, Tagged, Token};

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
    let now = if <SharedBuilder<X, C> as Recipe<C>>::NOW {
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
