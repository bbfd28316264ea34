//! `get`: a resolve without awaiting, for what is built by plain calls.
//!
//! [`GetNow<T>`] says, at compile time, that a container or scope can hand out a `T` without
//! awaiting anything every time: each transient in `T`'s by-value graph is built by plain calls
//! (no init hook, no async factory, no collection), down to the shared services, values and
//! handles it needs, which are read where they are kept. It is proven through marker traits that
//! mirror the async ones: the strategy of each shape ([`StrategyNow`]) and the recipe of each
//! transient, which `#[injectable]` and `#[factory]` write ([`RecipeNow`]); a collection never
//! is ([`CollectedNow`]). A shape that must be awaited fails one of them, whose message names it.
//!
//! At run time, [`get`] first creates, by plain calls, the shared services the graph needs that
//! are not created yet and can be (assembled ones whose gate is free); a shared service that is
//! not created yet and must be awaited (an init hook, an async factory, or a creation that
//! another task is running) is a [`NotReady`](crate::ErrorKind::NotReady) error. It never
//! blocks and never panics.

use crate::bag::Bags;
use crate::slot::{Pending, Starts};
use crate::{Error, Provide, Result};

/// What a container or scope hands out without awaiting: `app.get::<T>()` compiles where
/// `App: GetNow<T>`, that is where nothing in `T`'s by-value graph must be awaited every time a
/// `T` is built (a transient with an init hook, a transient made by an `async` factory, a
/// collection). Shared services, values and handles always are: they are read where they are
/// kept. Written by `container!` for each container and scope; not implemented by hand.
///
/// What `get` does at run time, with the guarantees it keeps (exactly once, never a wait, an
/// error rather than a panic), is in the README's "Resolving without awaiting".
#[diagnostic::on_unimplemented(
    message = "[injectq::must-await] `{T}` cannot be had without awaiting",
    label = "`get` builds only what needs no `.await`",
    note = "resolve it with `.await`: `resolve::<..>().await`",
    note = "in code generic over a container (`C: AppServices`, from `#[provides(AppServices)]`), `get` gives what is shared (singletons, scoped services, values, inputs, tokens); a transient, which a test container's fake may build by awaiting, is resolved with `.await`"
)]
pub trait GetNow<T> {}

/// A strategy that hands out `T` from `C` without awaiting, once the shared services it needs are
/// created (see [`GetNow`]).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::must-await] `{T}` is resolved by awaiting it every time",
    label = "`get` builds only what needs no `.await`",
    note = "resolve it with `.await`: `resolve::<..>().await`"
)]
pub trait StrategyNow<T, C> {}

/// A [`Recipe`](crate::provide::Recipe) that builds by plain calls in `C`: a struct without an
/// init hook, or a function that is not `async`, each of whose dependencies is [`GetNow`] in `C`.
/// Written by `#[injectable]` and `#[factory]` alike.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::must-await] `{Self}` is built by awaiting (it has an init hook, or it is an `async` factory), so `get` cannot build it",
    label = "built by awaiting",
    note = "resolve what needs it with `.await`, or register what it builds as a `singleton` or `scoped` service: `get` hands out one that is created already"
)]
pub trait RecipeNow<C> {}

/// Never implemented: a collection is resolved by awaiting each of its members.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::must-await] the collection `{Self}` is resolved by awaiting each of its members",
    label = "built by awaiting",
    note = "resolve it with `.await`: `resolve::<..>().await`"
)]
pub trait CollectedNow<C> {}

/// `c.get::<T>()`: a `T` without awaiting (see [`GetNow`]), from `c`, unless one of `bags` is
/// closed (`Disposed`). Written into each container's and scope's `get`. What is ready is handed
/// out inline; the rest ([`get_cold`]) is a call.
#[doc(hidden)]
#[inline(always)]
pub fn get<C: Provide<T> + GetNow<T>, T>(bags: impl Bags, c: &C) -> Result<T> {
    bags.open()?;
    let mut failed = None;
    match crate::provide::ready_now(c, &mut failed) {
        Some(value) => Ok(value),
        None => get_cold(c, failed),
    }
}

/// [`get`], where something failed (`failed`) or is not created yet.
#[inline(never)]
fn get_cold<C: Provide<T>, T>(c: &C, failed: Option<Error>) -> Result<T> {
    if let Some(failed) = failed {
        return Err(failed);
    }
    // the shared services that `T` needs and that are not created yet, created by plain calls
    match c.pending(Starts::PlainCalls) {
        None | Some(Pending::Failed(None)) => {}
        Some(Pending::Failed(Some(failed))) => return Err(failed),
        Some(Pending::NotNow(not_ready)) => return Err(not_ready),
        // a creation that would have to await, started outside any chain: dropped unpolled (it
        // is started again by whoever awaits it)
        Some(Pending::Later(_)) => return Err(Error::not_ready(std::any::type_name::<T>())),
        Some(Pending::Refused(refused)) => return Err(refused_now(refused)),
    }
    crate::error::now_result(|failed| c.provide_now(failed))
        .unwrap_or_else(|| Err(Error::not_ready(std::any::type_name::<T>())))
}

/// A shared service created by plain calls while its owner was being disposed: its disposal,
/// then the error. Polled once here; what is left of the disposal runs on the tokio runtime of
/// the caller, if there is one. Without one, the instance is dropped without its async disposal
/// (logged as an error): `get` never blocks.
fn refused_now(mut refused: crate::future::BoxFuture<'static, Error>) -> Error {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    if let std::task::Poll::Ready(error) = refused.as_mut().poll(&mut cx) {
        return error;
    }
    let error = Error::disposed("the container");
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn(refused)),
        Err(_) => tracing::error!(
            target: "injectq",
            "a service created by `get` while its owner was being disposed is dropped without its async disposal: no tokio runtime runs here"
        ),
    }
    error
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::refused_now;
    use crate::{Error, ErrorKind};

    /// A refused instance's disposal that is done at its first poll: its error.
    #[test]
    fn a_disposal_done_at_once_gives_its_error() {
        let error = refused_now(Box::pin(async { Error::disposed("App") }));
        assert_eq!(error.kind(), ErrorKind::Disposed);
    }

    /// One that must await runs to its end on the caller's runtime: nothing is lost.
    #[test]
    fn a_disposal_that_awaits_finishes_on_the_runtime() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let disposed = Arc::new(AtomicBool::new(false));
        let error = runtime.block_on(async {
            let disposed = Arc::clone(&disposed);
            refused_now(Box::pin(async move {
                tokio::task::yield_now().await;
                disposed.store(true, Ordering::SeqCst);
                Error::disposed("App")
            }))
        });
        assert_eq!(error.kind(), ErrorKind::Disposed);
        runtime.block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(10), async {
                while !disposed.load(Ordering::SeqCst) {
                    tokio::task::yield_now().await;
                }
            })
            .await
            .expect("the disposal ran on the runtime");
        });
    }

    /// With no runtime, it is dropped (and logged), never waited for.
    #[test]
    fn with_no_runtime_a_disposal_that_awaits_is_dropped_not_waited_for() {
        let error = refused_now(Box::pin(std::future::pending()));
        assert_eq!(error.kind(), ErrorKind::Disposed);
    }
}
