//! What generated code uses, always as `::injectq::__private::...`. Not a public API: it may
//! change in any release.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use core::future::ready;
pub use core::marker::{Send, Sync};
pub use core::option::Option;
pub use core::result::Result::{Err, Ok};
pub use std::boxed::Box;
pub use std::sync::Arc as ArcType;

pub use crate::ScopeFactory;
pub use crate::bag::DisposeBag;
pub use crate::checked::{Checked, ThreadSafe};
pub use crate::dispose::Disposer;
pub use crate::fields::*;
pub use crate::graph::{Graph, Lifetime, Node, check_graph, outlined, settled};
pub use crate::lazy::Handle;
pub use crate::now::{BuildsNow, CollectedNow, FactoryNow, GetNow, InjectableNow, StrategyNow, get};
pub use crate::provide::NO_NODE;
pub use crate::registry::*;
pub use crate::slot::{Creation, Once, Pending, Slot, Starts, once};
pub use crate::token::Carries;
pub use crate::{Assisted, AssistedFactory, AssistedSig, Lazy, Provider, Tagged, Token};
pub use crate::{
    BoxError, Container, DisposeError, Error, Factory, Injectable, Outcome, Produces, Provide, Result, Scope,
};

/// A boxed, `Send` future: a singleton's or scoped service's creation, a creation of `start()`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// `resolve()`. Its first poll fails with [`ErrorKind::Disposed`](crate::ErrorKind::Disposed)
/// if any of `bags` is closed; returns at once what can be provided without awaiting (a created
/// shared service, a value, a transient built by plain calls), handing the value straight to the
/// caller; and otherwise starts `provide()` and polls it.
#[inline]
pub fn resolving<'a, T, P, V, F, B>(bags: B, c: &'a P, provide: V) -> Resolving<'a, P, V, F, B>
where
    P: Provide<T> + ?Sized,
    V: FnOnce(&'a P) -> F,
    F: Future<Output = crate::Result<T>>,
    B: Bags,
{
    Resolving::Start { start: Some((c, bags, provide)) }
}

/// The disposal bags whose closing makes a container or scope unusable: `[&DisposeBag; N]` (the
/// root has one; a scope two, its own and its root's).
pub trait Bags: Copy {
    /// `Err(Disposed)` (or `ShuttingDown`, for a scope refused by its root) if any of them is
    /// closed.
    fn open(self) -> crate::Result<()>;
}

impl<const N: usize> Bags for [&DisposeBag; N] {
    #[inline]
    fn open(self) -> crate::Result<()> {
        crate::bag::open(self)
    }
}

/// What the first poll of a [`Resolving`] starts from: the container, its disposal bags and how
/// it provides a `T` (`V`, a function item: it takes no room).
type Start<'a, P, V, B> = (&'a P, B, V);

pin_project_lite::pin_project! {
    /// The future [`resolving`] returns. Two states, set once: compiled for every type that a
    /// program resolves, so it is kept to a few lines.
    #[project = ResolvingProj]
    pub enum Resolving<'a, P: ?Sized, V, F, B> {
        /// not polled yet (`None`: done on the first poll)
        Start { start: Option<Start<'a, P, V, B>> },
        /// being provided
        Later { #[pin] later: F },
    }
}

impl<'a, T, P, V, F, B> Future for Resolving<'a, P, V, F, B>
where
    P: Provide<T> + ?Sized,
    V: FnOnce(&'a P) -> F,
    F: Future<Output = crate::Result<T>>,
    B: Bags,
{
    type Output = crate::Result<T>;

    // inline: the first poll of what is ready is the whole of most resolves; what awaits is a
    // call of its own (`poll_later`, `start_later`), so that this stays a few instructions
    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        let (c, bags, provide) = match self.as_mut().project() {
            ResolvingProj::Later { later } => return poll_later(later, cx),
            ResolvingProj::Start { start } => start.take().expect("a resolution polled after it completed"),
        };
        if let Err(disposed) = bags.open() {
            return Poll::Ready(Err(disposed));
        }
        let mut failed = None;
        match crate::provide::ready_now(c, &mut failed) {
            Some(value) => Poll::Ready(Ok(value)),
            None => start_later(self, c, provide, failed, cx),
        }
    }
}

/// A [`Resolving`] whose `T` failed without awaiting (`failed`), or must be awaited:
/// `provide(c)` started, and polled.
#[inline(never)]
fn start_later<'a, T, P: ?Sized, V: FnOnce(&'a P) -> F, F: Future<Output = crate::Result<T>>, B>(
    mut resolving: Pin<&mut Resolving<'a, P, V, F, B>>,
    c: &'a P,
    provide: V,
    failed: Option<Error>,
    cx: &mut std::task::Context<'_>,
) -> std::task::Poll<F::Output> {
    if let Some(failed) = failed {
        return std::task::Poll::Ready(Err(failed));
    }
    resolving.set(Resolving::Later { later: provide(c) });
    match resolving.project() {
        ResolvingProj::Later { later } => later.poll(cx),
        ResolvingProj::Start { .. } => unreachable!("a resolution is providing once started"),
    }
}

/// A [`Resolving`] being provided, polled again.
#[inline(never)]
fn poll_later<F: Future>(later: Pin<&mut F>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
    later.poll(cx)
}

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

/// Never implemented: a factory with `#[arg]` parameters registered in a container, which has no
/// arguments to give it. `#[factory]` writes its `Factory` impl under this bound, so that the
/// registration is refused with this message.
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-factory] `{Self}` takes `#[arg]` parameters from its caller, so a container cannot call it",
    label = "a factory with `#[arg]` parameters, registered",
    note = "do not register it: inject `Assisted<{Self}>` where it is needed, and call it with its arguments: `{Self}.call((..)).await`"
)]
pub trait TakesArgs<C> {}

/// A factory's error type: anything that converts into a boxed error (`std::error::Error +
/// Send + Sync + 'static`, `String`, `&'static str`, `anyhow::Error` through its `Into`).
#[diagnostic::on_unimplemented(
    message = "[injectq::factory-usage] a factory's error must be an error type, but this one returns `Result<_, {Self}>`",
    label = "`{Self}` is not an error type",
    note = "return `Result<T, E>` where `E: std::error::Error + Send + Sync + 'static` (or `Box<dyn Error + Send + Sync>`, `anyhow::Error`, `String`): the error becomes the source of injectq's"
)]
pub trait FactoryError {
    /// The error, boxed.
    fn boxed(self) -> BoxError;
}

// not recommended: the message's note says which errors a factory may return, in the user's terms
#[diagnostic::do_not_recommend]
impl<E: Into<BoxError>> FactoryError for E {
    #[inline]
    fn boxed(self) -> BoxError {
        self.into()
    }
}

/// Turns the `Result` of a factory into injectq's, keeping the error as the source.
pub fn factory_result<T, E: FactoryError>(name: &'static str, r: core::result::Result<T, E>) -> crate::Result<T> {
    r.map_err(|e| Error::factory(name, e.boxed()))
}

/// A fallible factory's result, called by plain calls: its value, or `None` with its error left in
/// `failed` (see [`Provide::provide_now`]).
#[inline]
pub fn factory_now<T>(made: crate::Result<T>, failed: &mut Option<Error>) -> Option<T> {
    match made {
        Ok(value) => Some(value),
        Err(e) => {
            *failed = Some(e);
            None
        }
    }
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
        crate::mapped::mapped(self, move |out: F::Output| out.into_result().map_err(|e| Error::init(ty, e)))
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

/// Adds `name` to the error path of a failed resolution.
pub fn within<T>(
    resolving: impl Future<Output = crate::Result<T>>,
    name: &'static str,
) -> impl Future<Output = crate::Result<T>> {
    crate::mapped::mapped(resolving, move |r| r.map_err(|e| e.within(name)))
}

/// What a field that a service owns (`#[inject(default)]`) must be: a service is shared by every
/// task that resolves it.
#[diagnostic::on_unimplemented(
    message = "[injectq::not-shared] `{Self}` cannot be shared between tasks, and a service is: every task that resolves it shares it",
    label = "a field of a service that is not `Send + Sync`",
    note = "use `Arc` instead of `Rc`, `Mutex` or `RwLock` instead of `RefCell`, an atomic instead of `Cell`"
)]
pub trait SharedField {}

// not recommended: a field that is not `Send + Sync` is reported as this trait, with its advice
#[diagnostic::do_not_recommend]
impl<T: ?Sized + Send + Sync> SharedField for T {}

/// A field of a service, checked to be shareable: `#[injectable]` writes a struct of one per
/// field, so that a field that cannot be shared between tasks is one error, on that field.
pub struct Shareable<T: ?Sized + SharedField>(core::marker::PhantomData<*const T>);

/// Checks that a factory builds the registered type (`singleton Pool = make_pool;`).
#[diagnostic::on_unimplemented(
    message = "[injectq::factory-output] this factory builds `{Self}`, but it is registered as `{T}`",
    label = "the factory's output is not `{T}`",
    note = "register the type the factory returns, or make the factory return `{T}`"
)]
pub trait FactoryOutput<T> {
    /// identity
    fn into_registered(self) -> T;
    /// identity, shared
    fn into_registered_arc(this: Arc<Self>) -> Arc<T>;
}

impl<T> FactoryOutput<T> for T {
    fn into_registered(self) -> T {
        self
    }

    fn into_registered_arc(this: Arc<Self>) -> Arc<T> {
        this
    }
}

/// A factory's output as the registered type; one error if they differ.
pub fn registered<T: FactoryOutput<K>, K>(v: T) -> K {
    v.into_registered()
}

/// A factory's output, shared, as the registered type (for `Shared::wrap`); one error if they
/// differ.
#[inline]
pub fn registered_arc<T: FactoryOutput<K>, K>(v: ArcType<T>) -> ArcType<K> {
    T::into_registered_arc(v)
}

/// Checks that a factory registered as a shared trait object (`singleton dyn Notifier =
/// make_notifier;`) returns it in an `Arc` or a `Box`.
#[diagnostic::on_unimplemented(
    message = "[injectq::factory-output] this factory builds `{Self}`, but it is registered as `{T}`: a factory of a trait object returns `Arc<{T}>` or `Box<{T}>`",
    label = "the factory's output is not `Arc<{T}>` or `Box<{T}>`",
    note = "to build an implementation with the factory, bind it to the trait: `{T} => Impl = factory;`"
)]
pub trait DynFactoryOutput<T: ?Sized> {
    /// The trait object, shared.
    fn into_shared(this: Arc<Self>) -> Arc<T>;
}

// not recommended: the message says which outputs are accepted
#[diagnostic::do_not_recommend]
impl<T: ?Sized> DynFactoryOutput<T> for Arc<T> {
    #[inline]
    fn into_shared(this: Arc<Self>) -> Arc<T> {
        Arc::clone(&this)
    }
}

#[diagnostic::do_not_recommend]
impl<T: ?Sized> DynFactoryOutput<T> for Box<T> {
    #[inline]
    fn into_shared(this: Arc<Self>) -> Arc<T> {
        // `this` was just made from what the factory returned and has no other owner: a factory
        // of a trait object has no disposer (`container!` refuses one), the only other holder
        match Arc::try_unwrap(this) {
            Ok(boxed) => Arc::from(boxed),
            Err(_) => unreachable!("a factory's output is shared only once it is stored"),
        }
    }
}

/// A shared trait object from its factory's `Arc` or `Box` (for `Shared::wrap`); one error if the
/// factory returns something else.
#[inline]
pub fn registered_dyn_arc<B: DynFactoryOutput<T>, T: ?Sized>(built: ArcType<B>) -> ArcType<T> {
    B::into_shared(built)
}

/// Checks that a factory registered as a transient trait object (`transient dyn Codec =
/// make_codec;`) returns it in a `Box`, which serves both `Box` and `Arc`.
#[diagnostic::on_unimplemented(
    message = "[injectq::factory-output] this factory builds `{Self}`, but it is registered as the transient `{T}`: a factory of a transient trait object returns `Box<{T}>`",
    label = "the factory's output is not `Box<{T}>`",
    note = "a transient is handed out as `Box<{T}>` or `Arc<{T}>`, and only a `Box` can become either; to build an implementation with the factory, bind it to the trait: `transient {T} => Impl = factory;`"
)]
pub trait TransientDynOutput<T: ?Sized> {
    /// The trait object, boxed.
    fn into_box(self) -> Box<T>;
}

#[diagnostic::do_not_recommend]
impl<T: ?Sized> TransientDynOutput<T> for Box<T> {
    #[inline]
    fn into_box(self) -> Box<T> {
        self
    }
}

/// A transient trait object from its factory's `Box`; one error if the factory returns something
/// else.
#[inline]
pub fn transient_dyn_box<B: TransientDynOutput<T>, T: ?Sized>(built: B) -> Box<T> {
    built.into_box()
}

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
    Box::pin(crate::mapped::mapped(crate::registry::created::<X, C>(c), |r| r.map(drop)))
}

/// Proves that `K`, registered as `token K;`, is a token: the one place where a type that is not
/// one is reported.
pub const fn token<K: Token>() {}

/// A token's value as the container provides it.
pub fn tagged<K: Token>(value: &K::Value) -> Tagged<K> {
    Tagged(value.clone())
}

/// `Option<T>` for a dependency the container provides: `Some`, or the error of its resolution
/// (never silently `None`).
pub fn some<T>(resolving: impl Future<Output = crate::Result<T>>) -> impl Future<Output = crate::Result<Option<T>>> {
    crate::mapped::mapped(resolving, |r| r.map(Some))
}
