//! How what a registration's [`Recipe`](crate::provide::Recipe) built becomes the registered
//! type: [`Same`], a factory's [`FactoryOut`], or a coercion that `container!` writes for a
//! binding.

use std::sync::Arc;

use crate::outputs::FactoryOutput;

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

/// What was built is the registered trait object, boxed (a decorated transient `dyn T`).
pub struct Boxed;

impl<X: ?Sized> Coerce<Box<X>, X> for Boxed {
    #[inline]
    fn arc(built: Box<X>) -> Arc<X> {
        Arc::from(built)
    }

    #[inline]
    fn boxed(built: Box<X>) -> Box<X> {
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
