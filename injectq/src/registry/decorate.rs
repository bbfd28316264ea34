//! Decorators: a registration built by its own recipe, then wrapped by each decorator declared
//! for it (`decorate dyn Mailer = with_retries;`), innermost first. A shared service's slot keeps
//! the outermost value: one decorated instance, built once, disposed outermost first (a decorator
//! declared `, dispose` before what it decorates); a transient is decorated on every resolve. The
//! decorators' dependencies are resolved from the same container or scope as the service, so a
//! scoped dependency of a singleton's decorator is the usual captive error.

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

    /// Graph ids of the other parameters, resolved from `C`.
    const DEPS: &'static [usize];

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

/// One decorator of a chain: [`Plain`] for `decorate T = f;`, [`Disposing`] for
/// `decorate T = f, dispose;`. `V` is what the chain carries: `Arc<T>` for a shared service, `T`
/// (or `Box<dyn T>`) for a transient.
#[doc(hidden)]
pub trait Layer<C, V> {
    /// Graph ids of the decorator's own dependencies.
    const DEPS: &'static [usize];
    /// Wraps `value`; what it returns is disposed with the service, if anything.
    fn apply(c: &C, value: V) -> impl Future<Output = Result<(V, Option<Disposer>)>> + Send;
}

/// A decorator's `#[inner]` parameter is what its chain carries: `Arc<T>` for a shared service,
/// `T` (or `Box<dyn T>`) for a transient.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::decorator-type] this decorator takes `{Self}`, but the service it decorates is handed to its decorators as `{V}`",
    label = "takes `{Self}`",
    note = "a singleton's or a scoped service's decorator takes and returns `Arc<T>` (or returns `T`); a transient's takes and returns `T` by value, or `Box<dyn Trait>` for a trait object: `#[inner] inner: {V}`"
)]
pub trait InnerIs<V> {
    /// The identity.
    fn inner(value: V) -> Self;
}

#[diagnostic::do_not_recommend]
impl<V> InnerIs<V> for V {
    #[inline]
    fn inner(value: V) -> V {
        value
    }
}

/// `decorate T = D;`: the decorator's output is the decorated value (`V: From<D::Output>`).
#[doc(hidden)]
pub struct Plain<D>(PhantomData<fn() -> D>);

impl<C, V, D> Layer<C, V> for Plain<D>
where
    C: Sync,
    V: Send + From<<D as Produces>::Output>,
    D: Decorator<C, Inner: InnerIs<V>>,
{
    const DEPS: &'static [usize] = D::DEPS;

    #[allow(clippy::manual_async_fn)]
    #[inline]
    fn apply(c: &C, value: V) -> impl Future<Output = Result<(V, Option<Disposer>)>> + Send {
        async move { Ok((V::from(D::decorate(c, InnerIs::inner(value)).await?), None)) }
    }
}

/// `decorate T = D, dispose;` (or `, dispose = hook`): the decorator's output, a type of its own,
/// is disposed with the service, before the value it decorates; `K` (written by `container!`,
/// where the types are known) makes the output the decorated value and its disposer.
#[doc(hidden)]
pub struct Disposing<D, K>(PhantomData<fn() -> (D, K)>);

/// How a disposing decorator's output becomes the decorated value, and its disposer (written by
/// `container!` per `decorate T = f, dispose;` line).
#[doc(hidden)]
pub trait DisposingLayer<O, V> {
    /// The value, and how it is disposed.
    fn split(output: O) -> (V, Disposer);
}

impl<C, V, D, K> Layer<C, V> for Disposing<D, K>
where
    C: Sync,
    V: Send,
    D: Decorator<C, Inner: InnerIs<V>>,
    K: DisposingLayer<<D as Produces>::Output, V>,
{
    const DEPS: &'static [usize] = D::DEPS;

    #[allow(clippy::manual_async_fn)]
    fn apply(c: &C, value: V) -> impl Future<Output = Result<(V, Option<Disposer>)>> + Send {
        async move {
            let (value, disposer) = K::split(D::decorate(c, InnerIs::inner(value)).await?);
            Ok((value, Some(disposer)))
        }
    }
}

/// The decorators of a registration, innermost first: a tuple of [`Layer`]s.
#[doc(hidden)]
pub trait Chain<C, V> {
    /// Graph ids of every decorator's dependencies, one slice per decorator.
    const DEPS: &'static [&'static [usize]];
    /// Wraps `value` in each decorator, in order; the disposer of each that has one is pushed to
    /// `disposers`, also when a later one fails.
    fn apply<'a>(c: &'a C, value: V, disposers: &'a mut Vec<Disposer>) -> BoxFuture<'a, Result<V>>;
}

macro_rules! chain {
    ($($d:ident),+) => {
        impl<C, V, $($d),+> Chain<C, V> for ($($d,)+)
        where
            C: Sync,
            V: Send + 'static,
            $($d: Layer<C, V>,)+
        {
            const DEPS: &'static [&'static [usize]] = &[$(<$d as Layer<C, V>>::DEPS),+];

            fn apply<'a>(c: &'a C, value: V, disposers: &'a mut Vec<Disposer>) -> BoxFuture<'a, Result<V>> {
                Box::pin(async move {
                    let value = value;
                    $(
                        let (value, disposer) = <$d as Layer<C, V>>::apply(c, value).await?;
                        disposers.extend(disposer);
                    )+
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

/// The outermost value of a decorated registration, and its disposer (the decorators' and the
/// undecorated instance's, outermost first), handed to the container once.
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
    L: Chain<C, Arc<U::Stored>> + 'static,
{
    const DEPS: &'static [usize] = <U::Base as Recipe<C>>::DEPS;
    const LAYERS: &'static [&'static [usize]] = L::DEPS;

    #[allow(clippy::manual_async_fn)]
    fn build(c: &C) -> impl Future<Output = Result<Self::Output>> + Send {
        async move {
            let built = Arc::new(<U::Base as Recipe<C>>::build(c).await?);
            let mut disposers: Vec<Disposer> = U::disposer(&built, U::NAME).into_iter().collect();
            let inner = U::wrap(built);
            let applied = L::apply(c, inner, &mut disposers).await;
            // outermost first: a decorator is disposed before what it decorates
            disposers.reverse();
            match applied {
                Ok(value) => Ok(Layered { value, disposer: Mutex::new(Disposer::sequence(disposers)) }),
                Err(error) => {
                    // what was built is disposed, in the background
                    if let Some(disposer) = Disposer::sequence(disposers) {
                        dispose_detached(disposer);
                    }
                    Err::<_, Error>(error)
                }
            }
        }
    }

    fn disposer(built: &Arc<Self::Output>, _: &'static str) -> Option<Disposer> {
        crate::sync::lock(&built.disposer).take()
    }
}

/// What a decorated transient's decorators take and return (written by `container!`, on a
/// marker type): `T`, or `Box<dyn T>` for a trait object.
#[doc(hidden)]
pub trait DecoratesValue: 'static {
    /// What its decorators take and return.
    type Value: Send + Sync + 'static;
}

/// How a decorated transient is built before its decorators (written by `container!`): its own
/// recipe, and how what it built becomes the value its decorators take.
#[doc(hidden)]
pub trait UndecoratedValue<C>: DecoratesValue {
    /// Its recipe.
    type Base: Recipe<C, Output: Send + Sync>;
    /// What was built, as that value.
    fn wrap(built: <Self::Base as Produces>::Output) -> Self::Value;
}

/// The recipe of a decorated transient `U`: its own recipe, then the decorators `L`, on every
/// resolve. A transient is handed over, so no decorator of it has a disposer (`container!`
/// refuses `, dispose` there).
#[doc(hidden)]
pub struct TransientDecorations<U: ?Sized, L>(PhantomData<fn() -> Box<U>>, PhantomData<fn() -> L>);

impl<U: DecoratesValue, L: 'static> Produces for TransientDecorations<U, L> {
    type Output = U::Value;
}

impl<C, U, L> Recipe<C> for TransientDecorations<U, L>
where
    C: Sync,
    U: UndecoratedValue<C>,
    L: Chain<C, U::Value> + 'static,
{
    const DEPS: &'static [usize] = <U::Base as Recipe<C>>::DEPS;
    const LAYERS: &'static [&'static [usize]] = L::DEPS;

    #[allow(clippy::manual_async_fn)]
    fn build(c: &C) -> impl Future<Output = Result<Self::Output>> + Send {
        async move {
            let built = <U::Base as Recipe<C>>::build(c).await?;
            let mut none = Vec::new();
            L::apply(c, U::wrap(built), &mut none).await
        }
    }
}

/// Runs `disposer` on the current runtime, its failure logged: the undecorated instance of a
/// creation whose decorator failed.
fn dispose_detached(disposer: Disposer) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::error!(
            target: "injectq",
            "`{}` was not disposed: its decoration failed where no tokio runtime runs its disposer (resolve it with `resolve().await` on the runtime)",
            disposer.name()
        );
        return;
    };
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
