//! How a container provides what it is asked for, written once for every container.
//!
//! `container!` writes, per registration, impls that hold no logic: [`Registered`] (its graph id,
//! its name and a lifetime marker), and for what is built, [`Shared`] or [`Transient`], whose
//! `Builder` is proven buildable where the container is declared (an associated type bound is
//! checked at the impl, once, and assumed everywhere else). Per container it writes two blanket
//! impls of [`Provide`]: the root's and the scope's. A request (`Arc<Pool>`, `Lazy<Pool>`,
//! `Handler`, `Option<Arc<Tracer>>`, ...) goes from the shape asked for ([`Shape`]) and the
//! registration's lifetime ([`Kind`]) to one [`Strategy`], written here: type-checked once, not
//! once per registration, which is what keeps a large container's build linear.
//!
//! A strategy that must refuse (a scoped service from the root, a `Box` of a singleton, ...)
//! requires a trait that is never implemented and whose message says why and what to do.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::Result;
use crate::dispose::Disposer;
use crate::lazy::Handle;
use crate::provide::{Produces, Recipe};

mod build;
mod choice;
mod decorate;
mod kinds;
mod levels;
mod private;
mod refusals;
mod shapes;
mod strategies;

pub use build::{Boxed, Coerce, FactoryOut, Same, Unwrap};
pub use choice::chose;
pub use decorate::{
    Chain, Decorates, DecoratesValue, Decorations, Decorator, Disposing, DisposingLayer, InnerIs, Instance, InstanceOf,
    Layer, Layered, Plain, TransientDecorations, Undecorated, UndecoratedValue,
};
pub use kinds::{
    Absence, Absent, AbsentKind, InheritedKind, InputKind, Kind, Present, PrivateKind, ScopedAliasKind, ScopedKind,
    SingletonAliasKind, SingletonKind, TokenKind, TransientKind, ValueKind,
};
pub use levels::{
    AliasArc, AtHome, InKind, Inner, InputArc, KindLazy, Level, Outer, Pick, Relation, SharedArc, TransientArc,
    TransientBox, TransientValue, Unrelated,
};
pub use private::{
    InModule, ModuleCx, ModuleFor, ModuleStrategy, NotPrivate, Private, PrivateIn, PrivateRefused, Public,
};
pub use refusals::{
    Captive, DeclaredAbsent, InInnerScope, InOtherScope, InnerScope, InputAtRoot, InputByValue, InputOnly, IsToken,
    NoBox, NoLazy, NoToken, NotBoxed, NotKept, NotToken, OtherScope, ScopedByValue, ScopedOnly, SharedInput,
    SharedScoped, SharedSingleton, SharedValue, SingletonByValue, TaggedOnly, ValueByValue, WasAbsent,
};
pub use strategies::*;

/// One registration of root container `R`, keyed by the registered type: a struct, a
/// `dyn Trait`, a token, a collection `Vec<Arc<dyn Trait>>`, or an `absent` type.
#[diagnostic::on_unimplemented(
    message = "[injectq::missing-provider] container `{R}` has no provider for `{Self}`",
    label = "`{Self}` is not registered in `{R}`",
    note = "register it in the `container!` declaration: `singleton`, `scoped`, `transient`, `value`, `token`, or `dyn Trait => Impl`; an optional dependency (`Option<T>`) can instead be declared `absent T;`"
)]
pub trait Registered<R>: 'static {
    /// Its id in the dependency graph.
    const NODE: usize;
    /// The registered type as written, for errors and spans.
    const NAME: &'static str;
    /// How it lives: one of the markers of [`Kind`].
    type Lifetime: Kind;
    /// How a module's context hands it out as `Arc`: [`Public`] (as the container does), or
    /// [`Private`] for a module's private helper.
    type Privacy;
}

/// A singleton (in the root `C`) or a scoped service (in the scope `C`): its slot, and how it
/// is built, in `C`.
pub trait Shared<C>: 'static {
    /// The registered type as written (also `Registered::NAME`: kept here so that creating it
    /// needs this impl only).
    const NAME: &'static str;
    /// What the slot holds and is handed out as `Arc`: the registered type, or a token's value.
    type Stored: ?Sized + Send + Sync + 'static;
    /// How it is built, from `C`: checked where the container is declared.
    type Builder: Recipe<C, Output: Send + Sync>;
    /// Whether it is *assembled*: created by awaiting the creations of its shared dependencies,
    /// then built by plain calls, because it has no init hook, no async factory, and each of its
    /// transient dependencies settles (see [`Transient::SETTLES`]). Then its `async` building is
    /// never compiled.
    const ASSEMBLED: bool = false;
    /// Its slot in `C`.
    fn slot(c: &C) -> &crate::slot::Slot<Self::Stored>;
    /// What was built, as it is stored: the identity, or a coercion to a trait object.
    fn wrap(built: Arc<<Self::Builder as Produces>::Output>) -> Arc<Self::Stored>;
    /// How an instance is disposed: the builder's way, or a registration's `dispose = hook`.
    fn disposer(built: &Arc<<Self::Builder as Produces>::Output>, name: &'static str) -> Option<Disposer> {
        <Self::Builder as Recipe<C>>::disposer(built, name)
    }
}

/// A transient of the scope `S` (a new value at every resolve): how it is built from the scope,
/// checked where the container is declared. From the root it is built by the same builder, checked
/// where it is resolved (a transient may need scoped services; the root has none).
pub trait Transient<S>: 'static {
    /// How it is built.
    type Builder: Recipe<S, Output: Send + Sync>;
    /// How what was built becomes the registered type in an `Arc` or a `Box` (and, through
    /// [`Unwrap`], by value).
    type Wrap: Coerce<<Self::Builder as Produces>::Output, Self>;
    /// Whether its by-value graph is large enough to be built by a call of its own rather than
    /// inline (see [`outlined`](crate::graph::outlined): its inline region holds more than 32
    /// objects).
    const OUTLINED: bool = false;
    /// Whether it *settles*: built by plain calls once the shared services of its by-value graph
    /// are created, because nothing in that graph must be awaited every time (no init hook, no
    /// async factory, no collection), as the container's graph finds (see
    /// [`settled`](crate::graph::settled)). Then it is never built by `async` code.
    const SETTLES: bool = false;
}

/// A binding `singleton dyn Trait => Impl;` (or `scoped`) of root `R`: the trait object is the
/// implementation's own instance, `Impl` being registered too (by the user, or by the binding
/// itself). `container!` writes the coercion, where the binding is declared.
pub trait Alias<R>: 'static {
    /// The implementation, whose registration creates and disposes the instance.
    type Target: Send + Sync + 'static;
    /// The implementation's instance, as the trait object.
    fn arc(target: Arc<Self::Target>) -> Arc<Self>;
}

/// A `value` (or an inherited value's) registration of root `R`: where its `Arc` is.
pub trait Valued<R>: 'static {
    /// The value.
    fn value(root: &R) -> &Arc<Self>;
}

/// A `token K;` registration of root `R`: where its token (which carries the value) is.
pub trait TokenValued<R> {
    /// The token, which carries the value. No `Token` bound here: a type that is not a token is
    /// reported once, where its value is resolved, not by every use of the container.
    fn token(root: &R) -> &Self;
}

/// A root container or one of its scopes, as the strategies see it (written by `container!`).
pub trait Ctx: Handle + Sync {
    /// The root container (itself, for a root): what registrations are keyed by.
    type Root: Ctx;
}

/// A scope: its root, which it delegates the root's registrations to.
pub trait ScopeCtx: Ctx {
    /// The root container of this scope.
    fn root(&self) -> &Self::Root;
}

/// A scope of a nested kind (`scope Message { .. }` inside `scope Connection { .. }`): its outer
/// scope, which it delegates the outer kind's registrations to.
pub trait NestedCtx: ScopeCtx {
    /// The outer scope's type.
    type Parent: Ctx<Root = Self::Root>;
    /// The outer scope this one was opened in.
    fn parent(&self) -> &Self::Parent;
}

/// The root container of a scope type `S`: what builds its transients from the root.
pub trait RootCtx: Ctx {
    /// Its scope type.
    type Scope: ScopeCtx<Root = Self>;
}

/// A child container: its parent, which provides what the child inherits.
pub trait ChildCtx: Ctx {
    /// The parent container.
    type Parent: Ctx;
    /// The parent of this child.
    fn parent(&self) -> &Self::Parent;
}

/// A type a container can be asked for, in root `R`'s containers: how the root provides it, and
/// how its scopes do. Implemented once per shape (`Arc<X>`, `Lazy<X>`, ...) here, and per
/// transient (by value) by `container!`.
#[diagnostic::on_unimplemented(
    message = "[injectq::missing-provider] container `{R}` has no provider for `{Self}`",
    label = "`{Self}` is not registered in `{R}`",
    note = "register it in the `container!` declaration: `singleton`, `scoped`, `transient`, `value`, `token`, or `dyn Trait => Impl`; an optional dependency (`Option<T>`) can instead be declared `absent T;`",
    note = "singletons, scoped services and values are resolved as `Arc<T>` (or `Lazy<T>`), transients as `T`, `Arc<T>` or `Box<T>` (or `Provider<T>`), tokens as `Tagged<K>`"
)]
pub trait Shape<R>: Sized {
    /// The [`Strategy`] of the root.
    type FromRoot;
    /// The [`Strategy`] of a scope.
    type FromScope;
    /// The [`ModuleStrategy`] of a module's context (see `private.rs`).
    type FromModule;
}

/// How container (or scope) `C` provides a `T`: the body of its `Provide<T>` impl.
pub trait Strategy<T, C> {
    /// As [`Provide::NODE`](crate::Provide::NODE).
    const NODE: usize;
    /// As [`Provide::NOW`](crate::Provide::NOW).
    const NOW: bool = false;
    /// As [`Provide::NOW_ALONE`](crate::Provide::NOW_ALONE).
    const NOW_ALONE: bool = false;
    /// As [`Provide::now_ready`](crate::Provide::now_ready).
    fn now_ready(c: &C) -> bool {
        let _ = c;
        false
    }
    /// As [`Provide::provide_now`](crate::Provide::provide_now).
    fn provide_now(c: &C, failed: &mut Option<crate::Error>) -> Option<T> {
        let _ = (c, failed);
        None
    }
    /// As [`Provide::provide`](crate::Provide::provide).
    fn provide(c: &C) -> impl Future<Output = Result<T>> + Send;
    /// As [`Provide::pending`](crate::Provide::pending).
    fn pending(c: &C, starts: crate::slot::Starts) -> Option<crate::slot::Pending<'_>> {
        let _ = (c, starts);
        None
    }
}

/// Marks a type as naming `C` and `X` without owning either.
type Names<C, X> = PhantomData<(fn() -> C, fn() -> *const X)>;

/// The graph ids of what registration `X` needs, built in `C` (shared services).
pub struct SharedDeps<C, X: ?Sized>(Names<C, X>);

impl<C, X: ?Sized + Shared<C>> SharedDeps<C, X> {
    /// `<X::Builder as Recipe<C>>::DEPS`, through the impl's bound: a registration that does not
    /// build is reported once, at its impl, not again here.
    pub const DEPS: &'static [usize] = <X::Builder as Recipe<C>>::DEPS;
    /// Its decorators' dependencies, one slice per decorator.
    pub const LAYERS: &'static [&'static [usize]] = <X::Builder as Recipe<C>>::LAYERS;
    /// Whether its builder can build it without awaiting, its dependencies ready.
    pub const NOW: bool = <X::Builder as Recipe<C>>::NOW;
}

/// The graph ids of what transient `X` needs, built in the scope `S`; and whether it is
/// disposable, which a transient may not be.
pub struct TransientDeps<S, X: ?Sized>(Names<S, X>);

impl<S, X: ?Sized + Transient<S>> TransientDeps<S, X> {
    /// `<X::Builder as Recipe<S>>::DEPS`, through the impl's bound (see [`SharedDeps`]).
    pub const DEPS: &'static [usize] = <X::Builder as Recipe<S>>::DEPS;
    /// Its decorators' dependencies, one slice per decorator.
    pub const LAYERS: &'static [&'static [usize]] = <X::Builder as Recipe<S>>::LAYERS;
    /// Whether what it builds must be disposed.
    pub const DISPOSABLE: bool = <X::Builder as Recipe<S>>::DISPOSABLE;
    /// Whether its builder can build it without awaiting, its dependencies ready.
    pub const NOW: bool = <X::Builder as Recipe<S>>::NOW;
}
