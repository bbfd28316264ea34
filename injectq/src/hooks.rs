//! Hooks: the user's functions a container calls around a service's life (an init hook after
//! building it, a dispose hook or `AsyncDispose` when it is disposed, a handler added with
//! `on_dispose`), each checked with a message of its own when it has the wrong shape.

use std::future::Future;
use std::sync::Arc;

use crate::bag::DisposeBag;
use crate::dispose::Disposer;
use crate::future::BoxFuture;
use crate::{BoxError, Error};

/// `on_dispose`: records `handler` in `bag`, or fails if it is already disposed.
pub fn on_dispose<F, Fut, E>(bag: &DisposeBag, handler: F) -> crate::Result<()>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = core::result::Result<(), E>> + Send + 'static,
    E: Into<BoxError>,
{
    bag.push(Disposer::new("disposal handler", handler)).map_err(|_| bag.refusal())
}

/// A type registered with `, dispose` after its factory: disposed through its `AsyncDispose` impl.
/// Its own message, for the `, dispose` that asks for it (`AsyncDispose`'s speaks of
/// `#[injectable(dispose)]`).
#[diagnostic::on_unimplemented(
    message = "[injectq::dispose-impl] `{Self}` is registered with `, dispose`, which disposes it through `AsyncDispose`, but it does not implement `AsyncDispose`",
    label = "`, dispose` needs `AsyncDispose`",
    note = "implement it: `impl injectq::AsyncDispose for {Self} {{ async fn dispose(&self) -> Result<(), injectq::BoxError> {{ .. }} }}`; or close it with a hook instead: `= factory, dispose = close_it`, with `async fn close_it(service: &{Self})`"
)]
pub trait DisposeOption: Send + Sync + 'static {
    /// Its disposer, through `AsyncDispose`.
    fn disposer(name: &'static str, this: Arc<Self>) -> Disposer;
}

// not recommended: the message says what `, dispose` needs, in the user's terms
#[diagnostic::do_not_recommend]
impl<T: crate::AsyncDispose> DisposeOption for T {
    fn disposer(name: &'static str, this: Arc<Self>) -> Disposer {
        Disposer::of(name, this)
    }
}

/// The disposer of a factory-built service registered with `, dispose`.
pub fn dispose_option<T: DisposeOption>(name: &'static str, service: Arc<T>) -> Disposer {
    T::disposer(name, service)
}

/// A dispose hook's future, as a disposer: `dispose = close_pool` with
/// `async fn close_pool(pool: &Pool) -> Result<(), E>`.
pub fn hook_result(r: impl HookOutcome) -> core::result::Result<(), BoxError> {
    r.into_result()
}
/// What an init or dispose hook returns: `Result<(), E>`, or `()` for a hook that cannot fail. A
/// dispose hook's wrong return is reported here; an init hook's, by [`InitCall`].
#[diagnostic::on_unimplemented(
    message = "[injectq::hook-signature] a hook must return `()` or `Result<(), E>`, but this one returns `{Self}`",
    label = "hook with the wrong return type",
    note = "write a dispose hook as `async fn name(service: &T)`, or `async fn name(service: &T) -> Result<(), E>` when it can fail, where `E: std::error::Error + Send + Sync + 'static`"
)]
pub trait HookOutcome {
    /// The error, boxed.
    fn into_result(self) -> core::result::Result<(), BoxError>;
}

// not recommended: the message's note says which returns a hook may have, in the user's terms
#[diagnostic::do_not_recommend]
impl<E: Into<BoxError>> HookOutcome for core::result::Result<(), E> {
    fn into_result(self) -> core::result::Result<(), BoxError> {
        self.map_err(Into::into)
    }
}

#[diagnostic::do_not_recommend]
impl HookOutcome for () {
    fn into_result(self) -> core::result::Result<(), BoxError> {
        Ok(())
    }
}

/// An init hook's call: an `async fn(&mut self)` whose future returns `()` or `Result<(), E>`.
#[diagnostic::on_unimplemented(
    message = "[injectq::hook-signature] an init hook is an `async fn` that returns `()` or `Result<(), E>`, but this one returns `{Self}`",
    label = "not an `async fn` returning `()` or `Result<(), E>`",
    note = "write the init hook as `async fn name(&mut self)`, or `async fn name(&mut self) -> Result<(), E>` when it can fail, where `E: std::error::Error + Send + Sync + 'static`"
)]
pub trait InitCall {
    /// Runs the hook of `ty`, its error kept as the source.
    fn run(self, ty: &'static str) -> impl Future<Output = crate::Result<()>> + Send;
}

// not recommended: the message's note says what an init hook is, in the user's terms
#[diagnostic::do_not_recommend]
impl<F> InitCall for F
where
    F: Future + Send,
    F::Output: HookOutcome,
{
    #[inline]
    fn run(self, ty: &'static str) -> impl Future<Output = crate::Result<()>> + Send {
        crate::future::mapped(self, move |out: F::Output| out.into_result().map_err(|e| Error::init(ty, e)))
    }
}

/// Runs the init hook of `ty`, its error kept as the source. Anything but an `async fn` returning
/// `()` or `Result<(), E>` is reported once, here: the future returned is boxed, of a type that
/// does not depend on the hook's, so a hook that is not `async` is not also reported where it is
/// awaited (an opaque `impl Future` is, once more, for its own bounds). One allocation per
/// creation of a service with an init hook, which is the rare, slow path (it does I/O).
pub fn init_hook<'a, F: InitCall + 'a>(ty: &'static str, call: F) -> BoxFuture<'a, crate::Result<()>> {
    Box::pin(call.run(ty))
}
