//! Decorators: a shared registration built by its own recipe, then wrapped by each decorator
//! declared for it (`decorate dyn Mailer = with_retries;`), innermost first. The slot keeps the
//! outermost value: one decorated instance, built once; the decorators' dependencies are resolved
//! from the same container or scope as the service, so a scoped dependency of a singleton's
//! decorator is the usual captive error.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use crate::dispose::Disposer;
use crate::future::BoxFuture;
use crate::provide::{Produces, Recipe};
use crate::{Error, Result};

/// A `#[factory]` with an `#[inner]` parameter: it takes the service it decorates and returns
/// its replacement (written by `#[factory]`).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-decorator] `{Self}` is not a decorator: a `#[factory]` with an `#[inner]` parameter",
    label = "not a decorator",
    note = "mark the parameter that takes the decorated service: `#[factory] fn {Self}(#[inner] inner: Arc<dyn Mailer>, ..) -> Arc<dyn Mailer>`"
)]
pub trait Decorator<C>: Produces {
    /// The `#[inner]` parameter's type: what it decorates.
    type Inner: Send + 'static;

    /// Resolves the other parameters from `c` and calls the function with `inner`.
    fn decorate(c: &C, inner: Self::Inner) -> impl Future<Output = Result<Self::Output>> + Send;
}

/// What a decorated registration stores (written by `container!`, on a marker type per decorated
/// registration): known without the container, for [`Produces`].
#[doc(hidden)]
pub trait Decorates: 'static {
    /// The registered type (a trait object for a binding).
    type Stored: ?Sized + Send + Sync + 'static;
    /// The registered type as written, for its disposer.
    const NAME: &'static str;
}

/// How a decorated registration is built before its decorators (written by `container!`): its
/// own recipe, and how what it built becomes the registered type.
#[doc(hidden)]
pub trait Undecorated<C>: Decorates {
    /// Its recipe.
    type Base: Recipe<C, Output: Send + Sync>;
    /// What was built, as the registered type.
    fn wrap(built: Arc<<Self::Base as Produces>::Output>) -> Arc<Self::Stored>;
    /// How the undecorated instance is disposed.
    fn disposer(built: &Arc<<Self::Base as Produces>::Output>, name: &'static str) -> Option<Disposer> {
        <Self::Base as Recipe<C>>::disposer(built, name)
    }
}

/// The decorators of a registration, innermost first: a tuple of decorator factories.
#[doc(hidden)]
pub trait Chain<C, S: ?Sized> {
    /// Wraps `value` in each decorator, in order.
    fn apply(c: &C, value: Arc<S>) -> BoxFuture<'_, Result<Arc<S>>>;
}

macro_rules! chain {
    ($($d:ident),+) => {
        impl<C, S, $($d),+> Chain<C, S> for ($($d,)+)
        where
            C: Sync,
            S: ?Sized + Send + Sync + 'static,
            $($d: Decorator<C, Inner = Arc<S>>, Arc<S>: From<<$d as Produces>::Output>,)+
        {
            fn apply(c: &C, value: Arc<S>) -> BoxFuture<'_, Result<Arc<S>>> {
                Box::pin(async move {
                    let value = value;
                    $(let value: Arc<S> = Arc::from(<$d as Decorator<C>>::decorate(c, value).await?);)+
                    Ok(value)
                })
            }
        }
    };
}

chain!(D1);
chain!(D1, D2);
chain!(D1, D2, D3);
chain!(D1, D2, D3, D4);
chain!(D1, D2, D3, D4, D5);
chain!(D1, D2, D3, D4, D5, D6);
chain!(D1, D2, D3, D4, D5, D6, D7);
chain!(D1, D2, D3, D4, D5, D6, D7, D8);

/// The outermost value of a decorated registration, and the undecorated instance's disposer,
/// handed to the container once.
#[doc(hidden)]
pub struct Layered<S: ?Sized> {
    value: Arc<S>,
    disposer: Mutex<Option<Disposer>>,
}

impl<S: ?Sized> Layered<S> {
    /// The decorated value.
    pub fn value(&self) -> Arc<S> {
        Arc::clone(&self.value)
    }
}

/// The recipe of a decorated registration `U`: its own recipe, then the decorators `L`.
#[doc(hidden)]
pub struct Decorations<U: ?Sized, L>(PhantomData<fn() -> Box<U>>, PhantomData<fn() -> L>);

impl<U: Decorates, L: 'static> Produces for Decorations<U, L> {
    type Output = Layered<U::Stored>;
}

impl<C, U, L> Recipe<C> for Decorations<U, L>
where
    C: Sync,
    U: Undecorated<C>,
    L: Chain<C, U::Stored> + 'static,
{
    const DEPS: &'static [usize] = <U::Base as Recipe<C>>::DEPS;

    #[allow(clippy::manual_async_fn)]
    fn build(c: &C) -> impl Future<Output = Result<Self::Output>> + Send {
        async move {
            let built = Arc::new(<U::Base as Recipe<C>>::build(c).await?);
            let disposer = U::disposer(&built, U::NAME);
            let inner = U::wrap(built);
            match L::apply(c, inner).await {
                Ok(value) => Ok(Layered { value, disposer: Mutex::new(disposer) }),
                Err(error) => {
                    // the undecorated instance was built: it is disposed, in the background
                    if let Some(disposer) = disposer {
                        dispose_detached(disposer);
                    }
                    Err::<_, Error>(error)
                }
            }
        }
    }

    fn disposer(built: &Arc<Self::Output>, _: &'static str) -> Option<Disposer> {
        built.disposer.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// Runs `disposer` on the current runtime, its failure logged: the undecorated instance of a
/// creation whose decorator failed.
fn dispose_detached(disposer: Disposer) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    runtime.spawn(async move {
        if let Err(failed) = disposer.start(crate::Outcome::Failed, None).await {
            tracing::error!(target: "injectq", %failed, "disposing a service whose decorator failed");
        }
    });
}

/// The recipe of a decorated binding's undecorated value (`singleton dyn Mailer => Smtp;` with a
/// `decorate dyn Mailer = ..;`): the instance of the implementation's own registration, resolved
/// from the same container or scope, so that the implementation is still built once.
#[doc(hidden)]
pub struct Instance<T: ?Sized>(PhantomData<fn() -> Box<T>>);

/// What [`Instance`] builds: the implementation's shared instance.
#[doc(hidden)]
pub struct InstanceOf<T: ?Sized>(pub Arc<T>);

impl<T: ?Sized + 'static> Produces for Instance<T> {
    type Output = InstanceOf<T>;
}

impl<C, T> Recipe<C> for Instance<T>
where
    C: crate::Provide<Arc<T>> + Sync,
    T: ?Sized + Send + Sync + 'static,
{
    const DEPS: &'static [usize] = &[<C as crate::Provide<Arc<T>>>::NODE];

    #[allow(clippy::manual_async_fn)]
    fn build(c: &C) -> impl Future<Output = Result<Self::Output>> + Send {
        async move { Ok(InstanceOf(c.provide().await?)) }
    }
}
