//! The current scope of a task: code with no handle in reach resolves from the scope the task
//! entered, as a request-scoped context variable would give it.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;

/// The scopes a task has entered, innermost first.
struct Entered {
    scope: Arc<dyn Any + Send + Sync>,
    outer: Option<Arc<Entered>>,
}

tokio::task_local! {
    static CURRENT: Arc<Entered>;
}

/// Runs `f` with `scope` entered; scopes entered before stay reachable behind it.
pub(crate) async fn enter<F: Future>(scope: Arc<dyn Any + Send + Sync>, f: F) -> F::Output {
    let outer = CURRENT.try_with(Arc::clone).ok();
    CURRENT.scope(Arc::new(Entered { scope, outer }), f).await
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
                entered = e.outer.as_ref();
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
