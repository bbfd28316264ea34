//! What generated code checks about the user's types, each with a message of its own: that a
//! factory returns what it is registered as (and how that becomes the registered type), that its
//! error is an error, that an assisted factory is not registered, that a service's fields can be
//! shared between tasks, that a token is one.

use std::sync::Arc;

use crate::{BoxError, Error, Tagged, Token};

/// Never implemented: a factory with `#[arg]` parameters registered in a container, which has no
/// arguments to give it. `#[factory]` writes its `Factory` impl (which names its recipe) under
/// this bound, so that the registration is refused with this message.
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-factory] `{F}` takes `#[arg]` parameters from its caller, so a container cannot call it",
    label = "a factory with `#[arg]` parameters, registered",
    note = "do not register it: inject `Assisted<{F}>` where it is needed, and call it with its arguments: `{F}.call((..)).await`"
)]
pub trait TakesArgs<F> {}

/// Never implemented: a decorator (a factory with an `#[inner]` parameter) registered as a service.
#[diagnostic::on_unimplemented(
    message = "[injectq::factory-usage] `{F}` decorates a service (its `#[inner]` parameter), so a container cannot call it on its own",
    label = "a decorator, registered as a service",
    note = "declare it as the decorator of the service it takes: `decorate dyn Mailer = {F};`, beside that service's registration"
)]
pub trait TakesInner<F> {}

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
/// `failed` (see [`Provide::provide_now`](crate::Provide::provide_now)).
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
pub fn registered_arc<T: FactoryOutput<K>, K>(v: Arc<T>) -> Arc<K> {
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
pub fn registered_dyn_arc<B: DynFactoryOutput<T>, T: ?Sized>(built: Arc<B>) -> Arc<T> {
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
/// Proves that `K`, registered as `token K;`, is a token: the one place where a type that is not
/// one is reported.
pub const fn token<K: Token>() {}

/// A token's value as the container provides it.
pub fn tagged<K: Token>(value: &K::Value) -> Tagged<K> {
    Tagged(value.clone())
}
