//! The current scope of a task: code with no handle in reach resolves from the scope the task
//! entered, as a request-scoped context variable would give it.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;

/// The scopes a task has entered, innermost first: the innermost held by the task-local itself,
/// so that entering a scope in a task that has none (a request's) allocates nothing.
#[derive(Clone)]
struct Entered {
    scope: Arc<dyn Any + Send + Sync>,
    outer: Option<Arc<Entered>>,
}

impl Entered {
    /// `scope` entered inside the scopes this task has entered so far, which stay reachable.
    fn inside(scope: Arc<dyn Any + Send + Sync>) -> Self {
        let outer = CURRENT.try_with(|entered| Arc::new(entered.clone())).ok();
        Entered { scope, outer }
    }
}

tokio::task_local! {
    static CURRENT: Entered;
}

/// Runs `f` with `scope` entered; scopes entered before stay reachable behind it (those of the
/// task that first polls it).
pub(crate) fn enter<F: Future>(scope: Arc<dyn Any + Send + Sync>, f: F) -> Entering<F> {
    Entering { state: State::Waiting { scope: Some(scope), f: Some(f) } }
}

pin_project_lite::pin_project! {
    /// The future of [`enter`]: `f` held once, first as it was given, then inside the task-local's
    /// future (an `async fn` would hold it twice, and a web request's future is boxed with it).
    pub struct Entering<F: Future> {
        #[pin]
        state: State<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F: Future> {
        /// not polled yet: the scopes entered before are those of the task that polls it first
        Waiting { scope: Option<Arc<dyn Any + Send + Sync>>, f: Option<F> },
        Entered { #[pin] future: tokio::task::futures::TaskLocalFuture<Entered, F> },
    }
}

impl<F: Future> Future for Entering<F> {
    type Output = F::Output;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
        let mut state = self.project().state;
        if let StateProj::Waiting { scope, f } = state.as_mut().project() {
            let (scope, f) = (scope.take().expect("entered once"), f.take().expect("entered once"));
            state.set(State::Entered { future: CURRENT.scope(Entered::inside(scope), f) });
        }
        match state.project() {
            StateProj::Entered { future } => future.poll(cx),
            StateProj::Waiting { .. } => unreachable!("entered above"),
        }
    }
}

/// Runs `f` now with `scope` entered, as [`enter`] runs a future (the web layers' `call`).
#[cfg(any(feature = "axum", feature = "tonic"))]
pub(crate) fn enter_sync<R>(scope: Arc<dyn Any + Send + Sync>, f: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(Entered::inside(scope), f)
}

/// The innermost entered scope whose state is an `S`.
pub(crate) fn current<S: Any + Send + Sync>() -> Option<Arc<S>> {
    CURRENT
        .try_with(|innermost| {
            let mut entered = Some(innermost);
            while let Some(e) = entered {
                if let Ok(scope) = Arc::clone(&e.scope).downcast::<S>() {
                    return Some(scope);
                }
                entered = e.outer.as_deref();
            }
            None
        })
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_innermost_scope_of_each_type_is_current() {
        assert!(current::<u32>().is_none(), "nothing entered");
        enter(Arc::new(1u32), async {
            assert_eq!(*current::<u32>().unwrap(), 1);
            enter(Arc::new("inner"), async {
                assert_eq!(*current::<&str>().unwrap(), "inner");
                assert_eq!(*current::<u32>().unwrap(), 1, "an outer scope of another type stays reachable");
                enter(Arc::new(2u32), async { assert_eq!(*current::<u32>().unwrap(), 2) }).await;
            })
            .await;
            assert!(current::<&str>().is_none(), "left when its future ends");
        })
        .await;
    }

    #[tokio::test]
    async fn a_spawned_task_does_not_inherit_the_scope() {
        enter(Arc::new(1u32), async {
            let seen = tokio::spawn(async { current::<u32>().is_some() }).await.unwrap();
            assert!(!seen);
        })
        .await;
    }
}
