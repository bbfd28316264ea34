//! The strategies that refuse, for a shape a registration cannot be asked for. Each requires a
//! trait that is never implemented; its message is the compile error, and says what to do.

use std::future::Future;

use super::Strategy;
use crate::Result;
use crate::graph::NO_NODE;
use crate::{Tagged, Token};

/// Writes a refusal: a strategy for every `T` and `C` that requires `T: $never<C>`.
macro_rules! refusal {
    ($(#[$doc:meta])* $strategy:ident requires $never:ident) => {
        $(#[$doc])*
        pub struct $strategy;

        // refused by `Provide` already: `get` adds no error of its own
        impl<T, C> crate::now::StrategyNow<T, C> for $strategy {}

        impl<T, C> Strategy<T, C> for $strategy
        where
            T: $never<C>,
        {
            const NODE: usize = NO_NODE;

            #[allow(clippy::manual_async_fn)]
            fn provide(_: &C) -> impl Future<Output = Result<T>> + Send {
                // `T: $never<C>` never holds, so no code can reach this
                async { unreachable!(concat!("a refused request (", stringify!($never), ") was provided")) }
            }
        }
    };
}

refusal!(
    /// A scoped service asked of the root: a captive dependency.
    Captive requires ScopedOnly
);
refusal!(
    /// A scope's input asked of the root.
    InputAtRoot requires InputOnly
);
refusal!(
    /// A `Box<T>` of what is shared.
    NoBox requires NotBoxed
);
refusal!(
    /// A `Lazy<T>` of a transient.
    NoLazy requires NotKept
);
/// A `Tagged<K>` of a token type registered as a plain service.
///
/// Its bound is on `K`'s value, so that it cannot be stated when `K` is not a token at all: then
/// rustc reports only that `K` is not a token (on `Tagged`'s own bound), and not this refusal
/// besides.
pub struct NoToken;

impl<T, C> crate::now::StrategyNow<T, C> for NoToken {}

impl<K: Token, C> Strategy<Tagged<K>, C> for NoToken
where
    K::Value: NotToken<C, K>,
{
    const NODE: usize = NO_NODE;

    #[allow(clippy::manual_async_fn)]
    fn provide(_: &C) -> impl Future<Output = Result<Tagged<K>>> + Send {
        // `K::Value: NotToken<C, K>` never holds, so no code can reach this
        async { unreachable!("a refused request (NotToken) was provided") }
    }
}
refusal!(
    /// An `Arc<K>` (or `Box`, `Lazy`) of a token.
    IsToken requires TaggedOnly
);
refusal!(
    /// What is declared `absent`, asked for itself rather than as an `Option`.
    WasAbsent requires DeclaredAbsent
);
refusal!(
    /// A singleton asked for by value.
    SingletonByValue requires SharedSingleton
);
refusal!(
    /// A scoped service asked for by value.
    ScopedByValue requires SharedScoped
);
refusal!(
    /// A `value` asked for by value.
    ValueByValue requires SharedValue
);
refusal!(
    /// An `input` asked for by value.
    InputByValue requires SharedInput
);

/// A scoped service or input of scope kind `H`, asked of a scope of another kind: a captive
/// dependency that names both.
pub struct OtherScope<H>(std::marker::PhantomData<fn() -> H>);

impl<T, C, H> crate::now::StrategyNow<T, C> for OtherScope<H> {}

impl<T, C, H> Strategy<T, C> for OtherScope<H>
where
    T: InOtherScope<C, H>,
{
    const NODE: usize = NO_NODE;

    #[allow(clippy::manual_async_fn)]
    fn provide(_: &C) -> impl Future<Output = Result<T>> + Send {
        // `T: InOtherScope<C, H>` never holds, so no code can reach this
        async { unreachable!("a refused request (InOtherScope) was provided") }
    }
}

/// A scoped service or input of scope kind `H`, asked of a scope of a kind that `H`'s scopes are
/// opened inside of: a captive dependency, since the outer scope outlives them.
pub struct InnerScope<H>(std::marker::PhantomData<fn() -> H>);

impl<T, C, H> crate::now::StrategyNow<T, C> for InnerScope<H> {}

impl<T, C, H> Strategy<T, C> for InnerScope<H>
where
    T: InInnerScope<C, H>,
{
    const NODE: usize = NO_NODE;

    #[allow(clippy::manual_async_fn)]
    fn provide(_: &C) -> impl Future<Output = Result<T>> + Send {
        // `T: InInnerScope<C, H>` never holds, so no code can reach this
        async { unreachable!("a refused request (InInnerScope) was provided") }
    }
}

/// Never implemented: a service of an inner scope kind `H` asked of a scope of its outer kind `C`.
#[diagnostic::on_unimplemented(
    message = "[injectq::captive-dependency] captive dependency: `{Self}` lives in `{H}` scopes, which are opened inside `{C}` scopes and end before them",
    label = "a service of an inner kind of scope",
    note = "an outer scope outlives its inner scopes: what it holds cannot be one of theirs",
    note = "move the dependent into `{H}`, or the dependency out to `{C}` (or the container's top level)"
)]
pub trait InInnerScope<C, H> {}

/// Never implemented: a scoped service or input of scope kind `H` asked of a scope of kind `C`
/// (directly, or through a service of `C`), which does not have it.
#[diagnostic::on_unimplemented(
    message = "[injectq::captive-dependency] captive dependency: `{Self}` lives in `{H}` scopes, and `{C}` is another kind of scope",
    label = "a service of another kind of scope",
    note = "each kind of scope has its own scoped services and inputs: `{C}` has none of `{H}`'s",
    note = "register what both need at the container's top level (a `singleton`, or a `transient`), or resolve it where it lives, in the scopes of `{H}`"
)]
pub trait InOtherScope<C, H> {}

/// Never implemented: resolving a scoped service from the root container, directly or through a
/// singleton or a transient, fails on this bound with a message that names the captive
/// dependency.
#[diagnostic::on_unimplemented(
    message = "[injectq::captive-dependency] captive dependency: `{Self}` is scoped and cannot be resolved from the root container `{C}`",
    label = "scoped service needed outside a scope",
    note = "a singleton lives as long as the container and is built from the root, where no scope exists; so is anything resolved from the root itself",
    note = "make the dependent `scoped`, make the dependency a `singleton`, or resolve from a scope: `app.create_scope().resolve::<..>()`"
)]
pub trait ScopedOnly<C> {}

/// Never implemented: a scope's `input` asked of the root (by a singleton, or by anything resolved
/// from the root) fails on this bound.
#[diagnostic::on_unimplemented(
    message = "[injectq::captive-dependency] captive dependency: `{Self}` is an input of the scope and cannot be resolved from the root container `{C}`",
    label = "scope input needed outside a scope",
    note = "an input is given to each scope when it is opened (`create_scope_with(..)`); the root, and a singleton built from it, have none",
    note = "make the dependent `scoped`, or resolve from a scope: `app.create_scope_with(..).resolve::<..>()`"
)]
pub trait InputOnly<C> {}

/// Never implemented: only transients are handed out in a `Box`.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided: only transients are handed out in a `Box`",
    label = "a shared service asked for in a `Box`",
    note = "a singleton, scoped service or value is shared: ask for `Arc<T>` (or register it `transient`)"
)]
pub trait NotBoxed<C> {}

/// Never implemented: a transient is not kept, so it has no `Lazy`.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided: a transient is new at every resolve, so there is nothing to keep for a `Lazy`",
    label = "`Lazy` of a transient",
    note = "ask for `Provider<T>`, which resolves a new one at each `get()`, or register it as a `singleton` or `scoped`"
)]
pub trait NotKept<C> {}

/// Never implemented: `Tagged<K>` of a token type registered as a plain service (`value K;`). It is
/// asked of `K`'s value, so that the bound cannot be stated for a `K` that is not a token at all,
/// which rustc then reports once, with [`Token`]'s own message.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `Tagged<{K}>` cannot be provided: the token `{K}` is registered as a plain service, not with `token`",
    label = "`Tagged<K>` of a token that is not registered as one",
    note = "register the token with `token K;` (or `token K = make_value;`): its value is then resolved as `Tagged<K>`"
)]
pub trait NotToken<C, K> {}

/// Never implemented: a token's value is resolved as `Tagged<K>`.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided: its type is a token, whose value is resolved as `Tagged<K>`",
    label = "a token asked for as a service",
    note = "inject the token's value with `#[inject(token = K)] value: V`, or resolve `Tagged<K>`"
)]
pub trait TaggedOnly<C> {}

/// Never implemented: what is declared `absent` is only provided as an `Option`.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided: its type is declared `absent`",
    label = "an `absent` dependency asked for itself",
    note = "ask for `Option<..>` of it (`None` here), or use `#[inject(fallback = expr)]`; or register it instead of declaring it `absent`"
)]
pub trait DeclaredAbsent<C> {}

/// Never implemented: a singleton is shared, never handed over by value.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided by value: it is registered as a `singleton`, one instance that everything needing it shares",
    label = "a singleton asked for by value",
    note = "ask for `Arc<{Self}>` (or `Lazy<{Self}>`); to get a new one at every resolve, register it as `transient`"
)]
pub trait SharedSingleton<C> {}

/// Never implemented: a scoped service is shared within its scope, never handed over by value.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided by value: it is registered as `scoped`, one instance per scope that the scope's services share",
    label = "a scoped service asked for by value",
    note = "ask for `Arc<{Self}>` (or `Lazy<{Self}>`); to get a new one at every resolve, register it as `transient`"
)]
pub trait SharedScoped<C> {}

/// Never implemented: a `value` is given to the container once and shared.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided by value: it is registered as a `value`, given to the container once and shared",
    label = "a value asked for by value",
    note = "ask for `Arc<{Self}>`"
)]
pub trait SharedValue<C> {}

/// Never implemented: an `input` is given to its scope once and shared by the scope's services.
#[diagnostic::on_unimplemented(
    message = "[injectq::wrong-shape] `{Self}` cannot be provided by value: it is registered as an `input`, given to each scope once and shared by its services",
    label = "an input asked for by value",
    note = "ask for `Arc<{Self}>`, from the scope"
)]
pub trait SharedInput<C> {}
