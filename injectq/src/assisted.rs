//! Assisted injection: a `#[factory]` whose `#[arg]` parameters the caller gives and whose other
//! parameters the container resolves, called through an injected [`Assisted`] handle.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Weak};

use crate::lazy::Handle;
use crate::{Error, Result};

type BoxFuture<T> = crate::future::BoxFuture<'static, T>;

/// What an assisted factory takes from its caller and makes, whatever container calls it:
/// written by [`#[factory]`](crate::factory) for a function with `#[arg]` parameters.
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-factory] `{Self}` is not a factory with caller arguments",
    label = "`Assisted<F>` needs a `#[factory]` function with `#[arg]` parameters",
    note = "mark the parameters the caller gives with `#[arg]`: `#[factory] fn connect(pool: Arc<Pool>, #[arg] url: String) -> Conn`; a factory without them is registered in the container instead"
)]
pub trait AssistedSig: 'static {
    /// The caller's arguments, as a tuple in the function's order: `(String,)`.
    type Args: Send + 'static;
    /// What it makes: handed to the caller, never kept by the container.
    type Output: Send + 'static;
}

/// An assisted factory callable with container `C`: its other parameters are resolved from `C`
/// (written by [`#[factory]`](crate::factory)).
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-factory] `{Self}` is not a factory with caller arguments",
    label = "`Assisted<F>` needs a `#[factory]` function with `#[arg]` parameters",
    note = "mark the parameters the caller gives with `#[arg]`: `#[factory] fn connect(pool: Arc<Pool>, #[arg] url: String) -> Conn`; a factory without them is registered in the container instead"
)]
pub trait AssistedFactory<C>: AssistedSig {
    /// Resolves the other parameters from `c` and calls the function with `args`.
    fn call(c: &C, args: Self::Args) -> impl Future<Output = Result<Self::Output>> + Send;
}

/// Calls the assisted factory `F` with the caller's arguments, resolving its other parameters
/// from the container or scope it was injected from: `conns.call(("sqlite::memory:".into(),))`.
///
/// Like `Provider<T>`, it is not an edge of the compile-time graph: the factory's other
/// parameters are checked where the handle is injected (a singleton's handle resolves from the
/// root, so a scoped parameter is a compile error there). It holds a weak handle: `call` after the
/// container or scope is gone returns a `ContainerDropped` error, and after it is disposed a
/// `Disposed` one. Each call is independent: concurrent calls run concurrently, and a cancelled
/// call leaves nothing behind (what it made is dropped, never kept).
// no bound on `F` here: a type that is not an assisted factory is reported once, where it is
// injected, rather than at every mention of `Assisted<F>`
pub struct Assisted<F> {
    source: Arc<dyn Caller<F>>,
}

impl<F: AssistedSig> Assisted<F> {
    /// An `Assisted` that resolves from `handle` (written by `container!`).
    #[doc(hidden)]
    pub fn new<H: Handle + Sync>(handle: &H) -> Self
    where
        F: AssistedFactory<H>,
    {
        Assisted { source: Arc::new(WeakCaller::<H>(Arc::downgrade(handle.state()))) }
    }

    /// Calls the factory with `args` (a tuple, in the function's order).
    pub async fn call(&self, args: F::Args) -> Result<F::Output> {
        self.source.call(args).await
    }
}

impl<F> Clone for Assisted<F> {
    fn clone(&self) -> Self {
        Assisted { source: Arc::clone(&self.source) }
    }
}

impl<F> fmt::Debug for Assisted<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Assisted").field("factory", &std::any::type_name::<F>()).finish_non_exhaustive()
    }
}

/// Calls `F` with a container that may be gone.
trait Caller<F>: Send + Sync {
    fn call(&self, args: F::Args) -> BoxFuture<Result<F::Output>>
    where
        F: AssistedSig;
}

struct WeakCaller<H: Handle>(Weak<H::State>);

impl<H, F> Caller<F> for WeakCaller<H>
where
    H: Handle,
    F: AssistedFactory<H>,
{
    fn call(&self, args: F::Args) -> BoxFuture<Result<F::Output>>
    where
        F: AssistedSig,
    {
        let Some(state) = self.0.upgrade() else {
            return Box::pin(async { Err(Error::container_dropped(H::NAME)) });
        };
        let handle = H::from_state(state);
        Box::pin(async move {
            handle.ensure_open()?;
            F::call(&handle, args).await
        })
    }
}
