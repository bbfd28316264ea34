//! The strategies: how a root or a scope provides each shape of each lifetime. Generic, so each
//! is type-checked once for every container; `container!` only says which applies.
//!
//! `shared.rs`: singletons and scoped services (their slots), bindings of them, tokens made by a
//! factory; `transient.rs`: transients in every shape; `given.rs`: what is handed out without
//! being built here (from the root or the parent, values, tokens' values, handles, `Option`).

use super::{Registered, Shared, Transient};
use crate::{Error, Result};

mod given;
mod shared;
mod transient;

pub use given::*;
pub use shared::*;
pub use transient::*;

/// The builder of shared registration `X` in `C`.
type SharedBuilder<X, C> = <X as Shared<C>>::Builder;
/// The builder of transient `X` of scope `S`.
type TransientBuilder<X, S> = <X as Transient<S>>::Builder;
/// What `B` builds.
type Built<B> = <B as crate::provide::Produces>::Output;

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
