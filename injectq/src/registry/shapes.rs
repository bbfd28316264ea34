//! The shapes a container can be asked for, each mapped to its strategy by the lifetime of what
//! is registered. A transient by value (and `Option` of it) is a shape of its own, written by
//! `container!` for each transient.

use std::sync::Arc;

use super::kinds::{Absence, Kind};
use super::private::Public;
use super::strategies::{Here, ViaRoot};
use super::{Registered, Shape};
use crate::{Container, Lazy, Provider, ScopeFactory, Tagged, Token};

/// The lifetime marker of `X` in root `R`.
type KindOf<X, R> = <X as Registered<R>>::Lifetime;
/// The strategy of `Option<T>`, from the strategy `S` of `T`, for what `X` is (registered or
/// declared absent).
type OptionalOf<X, R, S> = <<KindOf<X, R> as Kind>::Absence as Absence>::Optional<S>;

// not recommended: a type that is not registered is then reported as the shape asked for
#[diagnostic::do_not_recommend]
impl<X: ?Sized + Registered<R>, R> Shape<R> for Arc<X> {
    type FromRoot = <KindOf<X, R> as Kind>::ArcFromRoot;
    type FromScope = <KindOf<X, R> as Kind>::ArcFromScope;
    type FromModule = <X as Registered<R>>::Privacy;
}

#[diagnostic::do_not_recommend]
impl<X: ?Sized + Registered<R>, R> Shape<R> for Box<X> {
    type FromRoot = <KindOf<X, R> as Kind>::BoxFromRoot;
    type FromScope = <KindOf<X, R> as Kind>::BoxFromScope;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<X: ?Sized + Registered<R>, R> Shape<R> for Lazy<X> {
    type FromRoot = <KindOf<X, R> as Kind>::LazyFromRoot;
    type FromScope = <KindOf<X, R> as Kind>::LazyFromScope;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<K: Token + Registered<R>, R> Shape<R> for Tagged<K> {
    type FromRoot = <KindOf<K, R> as Kind>::TaggedFromRoot;
    type FromScope = <KindOf<K, R> as Kind>::TaggedFromScope;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<X: ?Sized + Registered<R>, R> Shape<R> for Option<Arc<X>> {
    type FromRoot = OptionalOf<X, R, <KindOf<X, R> as Kind>::ArcFromRoot>;
    type FromScope = OptionalOf<X, R, <KindOf<X, R> as Kind>::ArcFromScope>;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<X: ?Sized + Registered<R>, R> Shape<R> for Option<Box<X>> {
    type FromRoot = OptionalOf<X, R, <KindOf<X, R> as Kind>::BoxFromRoot>;
    type FromScope = OptionalOf<X, R, <KindOf<X, R> as Kind>::BoxFromScope>;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<X: ?Sized + Registered<R>, R> Shape<R> for Option<Lazy<X>> {
    type FromRoot = OptionalOf<X, R, <KindOf<X, R> as Kind>::LazyFromRoot>;
    type FromScope = OptionalOf<X, R, <KindOf<X, R> as Kind>::LazyFromScope>;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<K: Token + Registered<R>, R> Shape<R> for Option<Tagged<K>> {
    type FromRoot = OptionalOf<K, R, <KindOf<K, R> as Kind>::TaggedFromRoot>;
    type FromScope = OptionalOf<K, R, <KindOf<K, R> as Kind>::TaggedFromScope>;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<T: 'static, R> Shape<R> for Provider<T> {
    type FromRoot = Here;
    type FromScope = Here;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<F: crate::AssistedSig, R> Shape<R> for crate::Assisted<F> {
    type FromRoot = Here;
    type FromScope = Here;
    type FromModule = Public;
}

#[diagnostic::do_not_recommend]
impl<R, X: Container, S> Shape<R> for ScopeFactory<X, S> {
    type FromRoot = Here;
    type FromScope = ViaRoot;
    type FromModule = Public;
}
