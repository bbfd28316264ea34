//! A transient's strategies, by value, in an `Arc` or in a `Box`, from its scope or from the root:
//! built by plain calls where it settles, else by its builder's `async` building, boxed.

use std::future::Future;
use std::sync::Arc;

use super::super::{Coerce, Ctx, Registered, Strategy, Transient, Unwrap};
use super::{Built, TransientBuilder, made, made_now};
use crate::future::mapped;
use crate::now::{RecipeNow, StrategyNow};
use crate::provide::Recipe;
use crate::slot::{Pending, Starts, settling};
use crate::{Error, Result};

/// `future`, boxed: its type no longer holds the types of what it awaits.
#[inline]
fn boxed<'a, T>(future: impl Future<Output = T> + Send + 'a) -> crate::future::BoxFuture<'a, T> {
    Box::pin(future)
}

/// `f()`, inline; or, when `call` (a transient's by-value graph is large: see
/// [`outlined`](crate::graph::outlined)), by a call of a function of its own, so that the
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

/// Writes the two strategies of a transient shape: `$in_scope`, built in a scope of the kind that
/// declares it (checked where the container is declared), and `$at_root<D>`, built elsewhere (the
/// root, or a scope of another kind) by the recipe that kind `D` declares, checked where it is
/// resolved: a transient that needs a scoped service of `D` cannot be built there, and the error
/// names that captive dependency. What is built is made into `$shape` by `$wrap::$make`.
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
            TransientBuilder<X, C>: RecipeNow<C>,
        {
        }

        impl<X, C> Strategy<$shape, C> for $in_scope
        where
            C: Ctx,
            X: $($relax)* Registered<C::Root> + Transient<C>,
            X::Wrap: $wrap<Built<TransientBuilder<X, C>>, X>,
        {
            const NODE: usize = <X as Registered<C::Root>>::NODE;
            const NOW: bool = <TransientBuilder<X, C> as Recipe<C>>::NOW;

            #[inline]
            fn now_ready(c: &C) -> bool {
                inline_or_call(X::OUTLINED, || <TransientBuilder<X, C> as Recipe<C>>::now_ready(c))
            }

            #[inline]
            fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<$shape> {
                inline_or_call(X::OUTLINED, || {
                    made_now::<X, C::Root, _, _>(<TransientBuilder<X, C> as Recipe<C>>::build_now(c, failed), failed, X::Wrap::$make)
                })
            }

            #[inline]
            fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
                <TransientBuilder<X, C> as Recipe<C>>::pending(c, starts).map(|p| p.within(<X as Registered<C::Root>>::NAME))
            }

            // boxed: a transient's future would otherwise hold its dependencies' futures, nested
            // as deep as the graph (which the compiler must lay out); built by plain calls when it
            // can be, a transient only takes this path when something must be awaited
            fn provide(c: &C) -> impl Future<Output = Result<$shape>> + Send {
                // a constant condition: a transient that settles is never built by `async` code
                if const { <X as Transient<C>>::SETTLES } {
                    return settling(c, <Self as Strategy<$shape, C>>::pending, <Self as Strategy<$shape, C>>::provide_now);
                }
                boxed(mapped(<TransientBuilder<X, C> as Recipe<C>>::build(c), made::<X, C::Root, _, _>(X::Wrap::$make)))
            }
        }

        $(#[$root_doc])*
        pub struct $at_root<D>(std::marker::PhantomData<fn() -> D>);

        impl<X, C, D> StrategyNow<$shape, C> for $at_root<D>
        where
            C: Ctx,
            X: $($relax)* Transient<D>,
            TransientBuilder<X, D>: RecipeNow<C>,
        {
        }

        impl<X, C, D> Strategy<$shape, C> for $at_root<D>
        where
            C: Ctx,
            X: $($relax)* Registered<C::Root> + Transient<D>,
            TransientBuilder<X, D>: Recipe<C>,
            X::Wrap: $wrap<Built<TransientBuilder<X, D>>, X>,
        {
            const NODE: usize = <X as Registered<C::Root>>::NODE;
            const NOW: bool = <TransientBuilder<X, D> as Recipe<C>>::NOW;

            #[inline]
            fn now_ready(c: &C) -> bool {
                inline_or_call(X::OUTLINED, || <TransientBuilder<X, D> as Recipe<C>>::now_ready(c))
            }

            #[inline]
            fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<$shape> {
                inline_or_call(X::OUTLINED, || {
                    made_now::<X, C::Root, _, _>(<TransientBuilder<X, D> as Recipe<C>>::build_now(c, failed), failed, X::Wrap::$make)
                })
            }

            #[inline]
            fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
                <TransientBuilder<X, D> as Recipe<C>>::pending(c, starts).map(|p| p.within(<X as Registered<C::Root>>::NAME))
            }

            fn provide(c: &C) -> impl Future<Output = Result<$shape>> + Send {
                // a constant condition: a transient that settles is never built by `async` code
                if const { <X as Transient<D>>::SETTLES } {
                    return settling(c, <Self as Strategy<$shape, C>>::pending, <Self as Strategy<$shape, C>>::provide_now);
                }
                boxed(mapped(<TransientBuilder<X, D> as Recipe<C>>::build(c), made::<X, C::Root, _, _>(X::Wrap::$make)))
            }
        }
    };
}

transient_shape!(
    /// A transient by value, built in its scope.
    ValueInScope,
    /// A transient by value, built elsewhere than in its kind's scopes (the root, another kind).
    ValueFrom: X, [] Unwrap::unwrap
);
transient_shape!(
    /// A transient in an `Arc`, built in its scope.
    ArcInScope,
    /// A transient in an `Arc`, built elsewhere than in its kind's scopes.
    ArcFrom: Arc<X>, [?Sized +] Coerce::arc
);
transient_shape!(
    /// A transient in a `Box`, built in its scope.
    BoxInScope,
    /// A transient in a `Box`, built elsewhere than in its kind's scopes.
    BoxFrom: Box<X>, [?Sized +] Coerce::boxed
);
