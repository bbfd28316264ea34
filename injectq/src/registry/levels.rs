//! Where a scope kind's services are, seen from a scope. A container may declare several kinds
//! of scope (a request's, a job's), each with its own scoped services and inputs: a scoped
//! registration's lifetime marker names its kind `H`, and its strategy from a scope `C` is
//! [`InKind<H, W>`], which reads the relation that `container!` writes for each pair of kinds
//! ([`Level`]) and picks, for the shape `W`, the strategy of that relation ([`Relation`]): the
//! scope's own slots and inputs ([`AtHome`]), or a captive dependency that names both kinds
//! ([`Unrelated`]).

use std::future::Future;
use std::marker::PhantomData;

use super::Strategy;
use super::refusals::{InnerScope, OtherScope};
use super::strategies::{
    Aliased, ArcFrom, ArcInScope, BoxFrom, BoxInScope, FromValue, Here, Slotted, ValueFrom, ValueInScope, ViaParent,
};
use crate::now::StrategyNow;
use crate::slot::{Pending, Starts};
use crate::{Error, Result};

/// Where the services of scope kind `Self` are for a scope of kind `S`: written by `container!`
/// for each pair of its scope kinds.
pub trait Level<S> {
    /// [`AtHome`] (`S` is `Self`), [`Outer`] (`S` is nested in `Self`), [`Inner`] (`Self` is
    /// nested in `S`) or [`Unrelated`].
    type Is: Relation;
}

/// The strategy of each shape of a scope kind's registrations, for a scope in relation `Self` to
/// that kind.
pub trait Relation {
    /// `Arc<X>` of a scoped service
    type Shared;
    /// `Lazy<X>` of a scoped service or an input
    type Lazy;
    /// `Arc<dyn Trait>` of a scoped binding
    type Alias;
    /// `Arc<X>` of an input
    type Input;
    /// a transient of the kind, by value
    type TransientValue;
    /// a transient of the kind, in an `Arc`
    type TransientArc;
    /// a transient of the kind, in a `Box`
    type TransientBox;
}

/// The asking scope is of the kind itself: its own slots and inputs.
pub struct AtHome;

impl Relation for AtHome {
    type Shared = Slotted;
    type Lazy = Here;
    type Alias = Aliased;
    type Input = FromValue;
    type TransientValue = ValueInScope;
    type TransientArc = ArcInScope;
    type TransientBox = BoxInScope;
}

/// The asking scope is of a kind nested in `H`'s (a message's scope, opened inside a
/// connection's): `H`'s services are its outer scope's, reached through it.
pub struct Outer<H>(PhantomData<fn() -> H>);

impl<H> Relation for Outer<H> {
    type Shared = ViaParent;
    type Lazy = Here;
    type Alias = ViaParent;
    type Input = ViaParent;
    // built in the inner scope, by the outer kind's recipe, checked there
    type TransientValue = ValueFrom<H>;
    type TransientArc = ArcFrom<H>;
    type TransientBox = BoxFrom<H>;
}

/// The asking scope is of a kind that `H`'s scopes are opened inside of (a connection asking for
/// a message's service): a captive dependency, since the outer scope outlives the inner ones.
pub struct Inner<H>(PhantomData<fn() -> H>);

impl<H> Relation for Inner<H> {
    type Shared = InnerScope<H>;
    type Lazy = InnerScope<H>;
    type Alias = InnerScope<H>;
    type Input = InnerScope<H>;
    type TransientValue = ValueFrom<H>;
    type TransientArc = ArcFrom<H>;
    type TransientBox = BoxFrom<H>;
}

/// The asking scope is of another kind, which has no such service: a captive dependency that
/// names both kinds (`H` is the kind that has it).
pub struct Unrelated<H>(PhantomData<fn() -> H>);

impl<H> Relation for Unrelated<H> {
    type Shared = OtherScope<H>;
    type Lazy = OtherScope<H>;
    type Alias = OtherScope<H>;
    type Input = OtherScope<H>;
    // a transient is built wherever it is asked for, by its kind's recipe, checked there
    type TransientValue = ValueFrom<H>;
    type TransientArc = ArcFrom<H>;
    type TransientBox = BoxFrom<H>;
}

/// Which of a [`Relation`]'s strategies a shape takes.
pub trait Pick<R: Relation> {
    /// The strategy.
    type Strategy;
}

/// `Arc<X>` of a scoped service.
pub struct SharedArc;
/// `Lazy<X>` of a scoped service or an input.
pub struct KindLazy;
/// `Arc<dyn Trait>` of a scoped binding.
pub struct AliasArc;
/// `Arc<X>` of an input.
pub struct InputArc;
/// A transient by value.
pub struct TransientValue;
/// A transient in an `Arc`.
pub struct TransientArc;
/// A transient in a `Box`.
pub struct TransientBox;

impl<R: Relation> Pick<R> for SharedArc {
    type Strategy = R::Shared;
}

impl<R: Relation> Pick<R> for KindLazy {
    type Strategy = R::Lazy;
}

impl<R: Relation> Pick<R> for AliasArc {
    type Strategy = R::Alias;
}

impl<R: Relation> Pick<R> for InputArc {
    type Strategy = R::Input;
}

impl<R: Relation> Pick<R> for TransientValue {
    type Strategy = R::TransientValue;
}

impl<R: Relation> Pick<R> for TransientArc {
    type Strategy = R::TransientArc;
}

impl<R: Relation> Pick<R> for TransientBox {
    type Strategy = R::TransientBox;
}

/// The strategy, from scope `C`, of shape `W` of a registration of scope kind `H`: the one its
/// relation to `C` picks. Every member forwards to it (inlined: no cost at run time).
pub struct InKind<H, W>(PhantomData<fn() -> (H, W)>);

/// The strategy `InKind<H, W>` forwards to, in scope `C`.
type Picked<H, W, C> = <W as Pick<<H as Level<C>>::Is>>::Strategy;

impl<T, C, H, W> StrategyNow<T, C> for InKind<H, W>
where
    H: Level<C>,
    W: Pick<H::Is>,
    Picked<H, W, C>: StrategyNow<T, C>,
{
}

impl<T, C, H, W> Strategy<T, C> for InKind<H, W>
where
    H: Level<C>,
    W: Pick<H::Is>,
    Picked<H, W, C>: Strategy<T, C>,
{
    const NODE: usize = <Picked<H, W, C> as Strategy<T, C>>::NODE;
    const NOW: bool = <Picked<H, W, C> as Strategy<T, C>>::NOW;
    const NOW_ALONE: bool = <Picked<H, W, C> as Strategy<T, C>>::NOW_ALONE;

    #[inline]
    fn now_ready(c: &C) -> bool {
        <Picked<H, W, C> as Strategy<T, C>>::now_ready(c)
    }

    #[inline]
    fn provide_now(c: &C, failed: &mut Option<Error>) -> Option<T> {
        <Picked<H, W, C> as Strategy<T, C>>::provide_now(c, failed)
    }

    #[inline]
    fn provide(c: &C) -> impl Future<Output = Result<T>> + Send {
        <Picked<H, W, C> as Strategy<T, C>>::provide(c)
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<Pending<'_>> {
        <Picked<H, W, C> as Strategy<T, C>>::pending(c, starts)
    }
}
