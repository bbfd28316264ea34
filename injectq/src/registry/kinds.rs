//! The lifetime markers of [`Registered::Lifetime`](super::Registered::Lifetime), and, for each,
//! the strategy of every shape it can be asked for, from the root and from a scope. A shape a
//! lifetime cannot be asked for maps to a refusal, whose message says why.

use std::marker::PhantomData;

use super::levels::{AliasArc, InKind, InputArc, KindLazy, SharedArc, TransientArc, TransientBox};
use super::refusals::{Captive, InputAtRoot, IsToken, NoBox, NoLazy, NoToken, WasAbsent};
use super::strategies::{
    Aliased, ArcFrom, BoxFrom, FromParent, FromValue, Here, NoneOf, Optional, Slotted, TokenField, TokenSlot, ViaRoot,
};

/// What a lifetime marker says for each shape: its strategy from the root and from a scope.
pub trait Kind: 'static {
    /// `Arc<X>`
    type ArcFromRoot;
    /// `Arc<X>`
    type ArcFromScope;
    /// `Box<X>`
    type BoxFromRoot;
    /// `Box<X>`
    type BoxFromScope;
    /// `Lazy<X>`
    type LazyFromRoot;
    /// `Lazy<X>`
    type LazyFromScope;
    /// `Tagged<X>`, for a token `X`
    type TaggedFromRoot;
    /// `Tagged<X>`, for a token `X`
    type TaggedFromScope;
    /// how `Option<..>` of a shape is provided: [`Present`] or [`Absent`]
    type Absence: Absence;
}

/// `Option<T>` of what is registered (`Some`) or declared absent (`None`).
pub trait Absence {
    /// the strategy of `Option<T>`, from the strategy `S` of `T`
    type Optional<S>;
}

/// Registered: `Option<T>` is `Some` (or the error of its resolution).
pub struct Present;

impl Absence for Present {
    type Optional<S> = Optional<S>;
}

/// Declared `absent`: `Option<T>` is `None`.
pub struct Absent;

impl Absence for Absent {
    type Optional<S> = NoneOf;
}

/// `singleton T;`: one per root, in its slot.
pub struct SingletonKind;

impl Kind for SingletonKind {
    type ArcFromRoot = Slotted;
    type ArcFromScope = ViaRoot;
    type BoxFromRoot = NoBox;
    type BoxFromScope = NoBox;
    type LazyFromRoot = Here;
    type LazyFromScope = ViaRoot;
    type TaggedFromRoot = NoToken;
    type TaggedFromScope = NoToken;
    type Absence = Present;
}

/// `scoped T;` in scope kind `H`: one per scope of that kind, in its slot; the root and the other
/// kinds refuse it (a captive dependency).
pub struct ScopedKind<H>(PhantomData<fn() -> H>);

impl<H: 'static> Kind for ScopedKind<H> {
    type ArcFromRoot = Captive;
    type ArcFromScope = InKind<H, SharedArc>;
    type BoxFromRoot = NoBox;
    type BoxFromScope = NoBox;
    type LazyFromRoot = Captive;
    type LazyFromScope = InKind<H, KindLazy>;
    type TaggedFromRoot = NoToken;
    type TaggedFromScope = NoToken;
    type Absence = Present;
}

/// `singleton dyn Trait => Impl;`: the singleton `Impl`'s instance, as the trait object (see
/// [`Alias`](super::Alias)).
pub struct SingletonAliasKind;

impl Kind for SingletonAliasKind {
    type ArcFromRoot = Aliased;
    type ArcFromScope = ViaRoot;
    type BoxFromRoot = NoBox;
    type BoxFromScope = NoBox;
    type LazyFromRoot = Here;
    type LazyFromScope = ViaRoot;
    type TaggedFromRoot = NoToken;
    type TaggedFromScope = NoToken;
    type Absence = Present;
}

/// `scoped dyn Trait => Impl;` in scope kind `H`: the scoped `Impl`'s instance, as the trait
/// object; the root and the other kinds refuse it (a captive dependency).
pub struct ScopedAliasKind<H>(PhantomData<fn() -> H>);

impl<H: 'static> Kind for ScopedAliasKind<H> {
    type ArcFromRoot = Captive;
    type ArcFromScope = InKind<H, AliasArc>;
    type BoxFromRoot = NoBox;
    type BoxFromScope = NoBox;
    type LazyFromRoot = Captive;
    type LazyFromScope = InKind<H, KindLazy>;
    type TaggedFromRoot = NoToken;
    type TaggedFromScope = NoToken;
    type Absence = Present;
}

/// `transient T;` declared in scope kind `D` (the container's scope, for one declared at its top
/// level): a new one at every resolve, in an `Arc` or a `Box` as asked (by value through its own
/// `Shape` impl); never kept, so never `Lazy`. Built in a scope of `D` by the recipe checked
/// there, and elsewhere by the same recipe, checked where it is resolved.
pub struct TransientKind<D>(PhantomData<fn() -> D>);

impl<D: 'static> Kind for TransientKind<D> {
    type ArcFromRoot = ArcFrom<D>;
    type ArcFromScope = InKind<D, TransientArc>;
    type BoxFromRoot = BoxFrom<D>;
    type BoxFromScope = InKind<D, TransientBox>;
    type LazyFromRoot = NoLazy;
    type LazyFromScope = NoLazy;
    type TaggedFromRoot = NoToken;
    type TaggedFromScope = NoToken;
    type Absence = Present;
}

/// `value T;`: given to the root's constructor.
pub struct ValueKind;

impl Kind for ValueKind {
    type ArcFromRoot = FromValue;
    type ArcFromScope = ViaRoot;
    type BoxFromRoot = NoBox;
    type BoxFromScope = NoBox;
    type LazyFromRoot = Here;
    type LazyFromScope = ViaRoot;
    type TaggedFromRoot = NoToken;
    type TaggedFromScope = NoToken;
    type Absence = Present;
}

/// `input T;` of scope kind `H`: given to each scope of that kind when it is opened; the root and
/// the other kinds have none (a captive dependency).
pub struct InputKind<H>(PhantomData<fn() -> H>);

impl<H: 'static> Kind for InputKind<H> {
    type ArcFromRoot = InputAtRoot;
    type ArcFromScope = InKind<H, InputArc>;
    type BoxFromRoot = NoBox;
    type BoxFromScope = NoBox;
    type LazyFromRoot = InputAtRoot;
    type LazyFromScope = InKind<H, KindLazy>;
    type TaggedFromRoot = NoToken;
    type TaggedFromScope = NoToken;
    type Absence = Present;
}

/// A child container's singleton, value or token of its parent: the parent's instance.
pub struct InheritedKind;

impl Kind for InheritedKind {
    type ArcFromRoot = FromParent;
    type ArcFromScope = ViaRoot;
    type BoxFromRoot = NoBox;
    type BoxFromScope = NoBox;
    type LazyFromRoot = Here;
    type LazyFromScope = ViaRoot;
    type TaggedFromRoot = FromParent;
    type TaggedFromScope = ViaRoot;
    type Absence = Present;
}

/// `token K;` (a value, `VALUE = true`) or `token K = make_k;` (a singleton): provided as
/// `Tagged<K>` only.
pub struct TokenKind<const VALUE: bool>;

impl Kind for TokenKind<true> {
    type ArcFromRoot = IsToken;
    type ArcFromScope = IsToken;
    type BoxFromRoot = IsToken;
    type BoxFromScope = IsToken;
    type LazyFromRoot = IsToken;
    type LazyFromScope = IsToken;
    type TaggedFromRoot = TokenField;
    type TaggedFromScope = ViaRoot;
    type Absence = Present;
}

impl Kind for TokenKind<false> {
    type ArcFromRoot = IsToken;
    type ArcFromScope = IsToken;
    type BoxFromRoot = IsToken;
    type BoxFromScope = IsToken;
    type LazyFromRoot = IsToken;
    type LazyFromScope = IsToken;
    type TaggedFromRoot = TokenSlot;
    type TaggedFromScope = ViaRoot;
    type Absence = Present;
}

/// `absent T;`: nothing provides it; `Option<..>` of it is `None`.
pub struct AbsentKind;

impl Kind for AbsentKind {
    type ArcFromRoot = WasAbsent;
    type ArcFromScope = WasAbsent;
    type BoxFromRoot = WasAbsent;
    type BoxFromScope = WasAbsent;
    type LazyFromRoot = WasAbsent;
    type LazyFromScope = WasAbsent;
    type TaggedFromRoot = WasAbsent;
    type TaggedFromScope = WasAbsent;
    type Absence = Absent;
}

/// `private singleton T;` in a module: refused everywhere but in the module's own context, which
/// reaches it through `Shape::FromModule` (see `private.rs`).
pub struct PrivateKind;

impl Kind for PrivateKind {
    type ArcFromRoot = super::private::PrivateRefused;
    type ArcFromScope = super::private::PrivateRefused;
    type BoxFromRoot = super::private::PrivateRefused;
    type BoxFromScope = super::private::PrivateRefused;
    type LazyFromRoot = super::private::PrivateRefused;
    type LazyFromScope = super::private::PrivateRefused;
    type TaggedFromRoot = super::private::PrivateRefused;
    type TaggedFromScope = super::private::PrivateRefused;
    type Absence = Present;
}
