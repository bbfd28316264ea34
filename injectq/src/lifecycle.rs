//! The lifecycle calls of a generated container: `start()` (every singleton's creation at once),
//! `with_scope` (a body run in a scope, then the scope disposed with the body's outcome), and the
//! task's current scope (`enter`, `current`).

use std::future::Future;
use std::sync::Arc;

use crate::bag::DisposeBag;
use crate::future::BoxFuture;
use crate::{DisposeError, Error, Outcome};

/// Runs `f` with the scope whose state is `state` entered as the task's current scope.
pub fn enter<S: core::any::Any + Send + Sync, F: Future>(
    state: &Arc<S>,
    f: F,
) -> impl Future<Output = F::Output> + use<S, F> {
    crate::current::enter(Arc::clone(state) as Arc<dyn core::any::Any + Send + Sync>, f)
}

/// The state of the innermost entered scope of type `S`, or the error that names `scope`.
pub fn current<S: core::any::Any + Send + Sync>(scope: &'static str) -> crate::Result<Arc<S>> {
    crate::current::current::<S>().ok_or_else(|| Error::no_current_scope(scope))
}

/// `start()`: runs every singleton's creation concurrently and returns the first failure. The
/// creations still running then are dropped (a cancelled creation leaves nothing behind); what
/// was created stays, so the container stays usable and a later `start()` creates the rest.
pub async fn start(bag: &DisposeBag, creations: Vec<BoxFuture<'_, crate::Result<()>>>) -> crate::Result<()> {
    #[cfg(feature = "tracing")]
    let started = crate::trace::starting(bag.owner(), creations.len());
    #[cfg(not(feature = "tracing"))]
    let _ = bag;
    futures_util::future::try_join_all(creations).await?;
    #[cfg(feature = "tracing")]
    crate::trace::started(bag.owner(), started);
    Ok(())
}

/// `with_scope`: runs `body` (in the scope whose bag is `bag`), then disposes the scope, as
/// [`Completed`](Outcome::Completed) if the body returned `Ok`, [`Failed`](Outcome::Failed) if it
/// returned `Err`, and [`Panicked`](Outcome::Panicked) if it panicked (the panic is resumed once
/// the scope is disposed). If this future is dropped first, the scope is disposed in the
/// background as [`Cancelled`](Outcome::Cancelled).
///
/// One `Result`: the body's, or the failed disposal's if the body succeeded. When both failed, the
/// body's error is returned and the disposal's is logged (at `ERROR`, with the scope's name).
pub async fn with_scope<T, E: From<DisposeError>>(
    bag: &DisposeBag,
    body: impl Future<Output = core::result::Result<T, E>>,
) -> core::result::Result<T, E> {
    use futures_util::FutureExt;

    /// Disposes the scope in the background if the work is dropped before it ends.
    struct Cut<'a>(Option<&'a DisposeBag>);

    impl Drop for Cut<'_> {
        fn drop(&mut self) {
            if let Some(bag) = self.0 {
                bag.dispose_in_background(Outcome::Cancelled);
            }
        }
    }

    let mut cut = Cut(Some(bag));
    let out = std::panic::AssertUnwindSafe(body).catch_unwind().await;
    cut.0 = None;
    match out {
        Ok(Ok(value)) => {
            bag.dispose_as(Outcome::Completed).await?;
            Ok(value)
        }
        Ok(Err(e)) => {
            if let Err(error) = bag.dispose_as(Outcome::Failed).await {
                tracing::error!(target: "injectq", %error, "disposing `{}` after its work failed", bag.owner());
            }
            Err(e)
        }
        Err(panic) => {
            if let Err(error) = bag.dispose_as(Outcome::Panicked).await {
                tracing::error!(target: "injectq", %error, "disposing `{}` after its work panicked", bag.owner());
            }
            std::panic::resume_unwind(panic)
        }
    }
}

/// One creation of `start()`: the singleton `X` of the root `C`, through its `Shared` impl only
/// (so that a registration broken elsewhere is not reported again here).
pub fn start_one<X, C>(c: &C) -> BoxFuture<'_, crate::Result<()>>
where
    C: crate::registry::Ctx,
    X: ?Sized + crate::registry::Shared<C>,
{
    Box::pin(crate::future::mapped(crate::registry::created::<X, C>(c), |r| r.map(drop)))
}
