//! What every declared container and scope can do, as traits: integrations (the axum layer, your
//! own middleware) are generic over them.

use std::future::Future;

use crate::DisposeError;

/// A root container declared with `container!`.
pub trait Container: Clone + Send + Sync + 'static {
    /// Its scope type.
    type Scope: Scope<Root = Self>;

    /// Opens a scope: a request, a job, a unit of work.
    fn create_scope(&self) -> Self::Scope;

    /// Disposes what the container created.
    fn dispose(&self) -> impl Future<Output = Result<(), DisposeError>> + Send;
}

/// A scope of a container.
pub trait Scope: Clone + Send + Sync + 'static {
    /// The container it belongs to.
    type Root: Container<Scope = Self>;

    /// Runs `f` with this scope entered as the task's current scope.
    fn enter<F>(&self, f: F) -> impl Future<Output = F::Output> + Send
    where
        F: Future + Send,
        F::Output: Send;

    /// Disposes what the scope created.
    fn dispose(&self) -> impl Future<Output = Result<(), DisposeError>> + Send;
}
