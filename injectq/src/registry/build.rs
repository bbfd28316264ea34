//! [`Build`]: how a registration is built in a container, by its `#[injectable]` impl
//! ([`Itself`]) or by a `#[factory]` ([`Made`]); and how what was built becomes the registered
//! type ([`Same`], a factory's [`FactoryOut`](super::FactoryOut), or a coercion that
//! `container!` writes for a binding).

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::dispose::Disposer;
use crate::outputs::FactoryOutput;
use crate::slot::Starts;
use crate::{Error, Factory, Injectable, Produces, Result};

/// What a builder builds, whatever the container: naming it needs no proof that the builder
/// can build there, so a registration that cannot be built is reported once, at its bound.
pub trait Builds: 'static {
    /// What is built (also `Sync` where it is shared, which the registration checks).
    type Output: Send + 'static;
}

/// Builds a registration in container `C`.
pub trait Build<C>: Builds {
    /// Graph ids of what building needs.
    const DEPS: &'static [usize];
    /// Whether what is built must be disposed by its container.
    const DISPOSABLE: bool = false;
    /// Whether [`build_now`](Build::build_now) can ever work.
    const NOW: bool = false;
    /// Whether [`build_now`](Build::build_now) would return `Some`.
    fn now_ready(c: &C) -> bool {
        let _ = c;
        false
    }
    /// Builds it without awaiting, or `None` (see [`Provide::provide_now`](crate::Provide::provide_now)).
    fn build_now(c: &C, failed: &mut Option<Error>) -> Option<Self::Output> {
        let _ = (c, failed);
        None
    }
    /// Builds it.
    fn build(c: &C) -> impl Future<Output = Result<Self::Output>> + Send;
    /// As [`Injectable::pending`].
    fn pending(c: &C, starts: Starts) -> Option<crate::slot::Pending<'_>> {
        let _ = (c, starts);
        None
    }
    /// How an instance is disposed, if it must be.
    fn disposer(built: &Arc<Self::Output>, name: &'static str) -> Option<Disposer> {
        let _ = (built, name);
        None
    }
}

/// Built by its own [`Injectable`] impl.
pub struct Itself<T>(PhantomData<fn() -> T>);

impl<T: Send + 'static> Builds for Itself<T> {
    type Output = T;
}

impl<T: Injectable<C> + Send, C: 'static> Build<C> for Itself<T> {
    const DEPS: &'static [usize] = T::DEPS;
    const DISPOSABLE: bool = T::DISPOSABLE;
    const NOW: bool = T::NOW;

    #[inline]
    fn now_ready(c: &C) -> bool {
        T::now_ready(c)
    }

    #[inline]
    fn build_now(c: &C, failed: &mut Option<Error>) -> Option<T> {
        T::build_now(c, failed)
    }

    #[inline]
    fn build(c: &C) -> impl Future<Output = Result<T>> + Send {
        T::build(c)
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<crate::slot::Pending<'_>> {
        T::pending(c, starts)
    }

    #[inline]
    fn disposer(built: &Arc<T>, name: &'static str) -> Option<Disposer> {
        T::disposer(built, name)
    }
}

impl<T: crate::now::InjectableNow<C>, C> crate::now::BuildsNow<C> for Itself<T> {}

/// Built by the [`Factory`] `F`.
pub struct Made<F>(PhantomData<fn() -> F>);

impl<F: crate::now::FactoryNow<C>, C> crate::now::BuildsNow<C> for Made<F> {}

impl<F: Produces> Builds for Made<F> {
    type Output = F::Output;
}

impl<F: Factory<C>, C: 'static> Build<C> for Made<F> {
    const DEPS: &'static [usize] = F::DEPS;
    const NOW: bool = F::NOW;

    #[inline]
    fn now_ready(c: &C) -> bool {
        F::now_ready(c)
    }

    #[inline]
    fn build_now(c: &C, failed: &mut Option<Error>) -> Option<F::Output> {
        F::call_now(c, failed)
    }

    #[inline]
    fn pending(c: &C, starts: Starts) -> Option<crate::slot::Pending<'_>> {
        F::pending(c, starts)
    }

    #[inline]
    fn build(c: &C) -> impl Future<Output = Result<F::Output>> + Send {
        F::call(c)
    }
}

/// How what a transient's builder built (`B`) becomes the registered type `X`, in an `Arc` or a
/// `Box`: the identity ([`Same`]), a factory's output ([`FactoryOut`]), or, for a binding
/// `dyn Trait => Impl`, a coercion that `container!` writes.
pub trait Coerce<B, X: ?Sized> {
    /// In an `Arc`.
    fn arc(built: B) -> Arc<X>;
    /// In a `Box`.
    fn boxed(built: B) -> Box<X>;
}

/// How what a transient's builder built (`B`) becomes the registered type `X`, by value.
pub trait Unwrap<B, X> {
    /// By value.
    fn unwrap(built: B) -> X;
}

/// What was built is the registered type.
pub struct Same;

impl<T> Coerce<T, T> for Same {
    #[inline]
    fn arc(built: T) -> Arc<T> {
        Arc::new(built)
    }

    #[inline]
    fn boxed(built: T) -> Box<T> {
        Box::new(built)
    }
}

impl<T> Unwrap<T, T> for Same {
    #[inline]
    fn unwrap(built: T) -> T {
        built
    }
}

/// What a factory built must be the registered type: otherwise the error names both.
pub struct FactoryOut;

impl<B: FactoryOutput<X>, X> Coerce<B, X> for FactoryOut {
    #[inline]
    fn arc(built: B) -> Arc<X> {
        Arc::new(built.into_registered())
    }

    #[inline]
    fn boxed(built: B) -> Box<X> {
        Box::new(built.into_registered())
    }
}

impl<B: FactoryOutput<X>, X> Unwrap<B, X> for FactoryOut {
    #[inline]
    fn unwrap(built: B) -> X {
        built.into_registered()
    }
}
