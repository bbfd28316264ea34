//! The two traits that carry the whole graph: [`Provide`] (a container can hand out a `T`) and
//! [`Recipe`] (how a service is built from any container that provides its dependencies), which
//! `#[injectable]` and `#[factory]` both write; [`Injectable`] and [`Factory`] name a
//! registration's recipe, each with the message of what it is missing.

use std::future::Future;
use std::sync::Arc;

use crate::dispose::Disposer;
use crate::{Error, Result};

/// The argument of [`Provide`]'s hidden `sealed` method, which `container!`'s impls name (as
/// `::injectq::__private::Sealed`): the seal that keeps `Provide` from being implemented by hand.
#[doc(hidden)]
#[derive(Debug)]
pub struct Sealed;

/// A container (or scope) that can provide a `T`.
///
/// `container!` implements it for each container and its scope, for every shape of every
/// registration: `Arc<T>` for singletons, scoped services and values; `T`, `Arc<T>` and `Box<T>`
/// for transients; `Arc<dyn Trait>` (and `Box<dyn Trait>` for transients) for trait-object
/// bindings. It is sealed: only `container!` implements it, and an impl written by hand fails
/// with "not all trait items implemented, missing: `sealed`" (register the type in a container
/// instead, or declare a fake in a test container). You rarely call it yourself:
/// `resolve::<T>()` does, and generated code does. You name it in bounds, for example to write
/// a function that works with any container providing a service:
///
/// ```
/// use std::sync::Arc;
/// use injectq::Provide;
///
/// pub struct Clock;
///
/// async fn now<C: Provide<Arc<Clock>>>(container: &C) -> injectq::Result<Arc<Clock>> {
///     container.provide().await
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "[injectq::missing-provider] container `{Self}` has no provider for `{T}`",
    label = "`{T}` is not registered in `{Self}`",
    note = "register it in the `container!` declaration: `singleton`, `scoped`, `transient`, `value`, `token`, or `dyn Trait => Impl`; an optional dependency (`Option<T>`) can instead be declared `absent T;`",
    note = "singletons, scoped services and values are resolved as `Arc<T>` (or `Lazy<T>`), transients as `T`, `Arc<T>` or `Box<T>` (or `Provider<T>`), tokens as `Tagged<K>`",
    note = "in code generic over a container (`C: AppServices`, from `#[provides(AppServices)]`), the bound says what it provides: the root, its singletons, values and tokens; a scope (`create_scope()`), its scoped services, inputs and transients as well"
)]
pub trait Provide<T>: Send + Sync {
    /// The seal: only `container!` implements `Provide`, and its impls name this hidden method's
    /// argument type, which no one writes by accident. Name `Provide` in bounds; to provide a
    /// type, register it in a container.
    #[doc(hidden)]
    fn sealed(_: Sealed);

    /// The registration's id in the container's dependency graph, for the compile-time graph
    /// check.
    #[doc(hidden)]
    const NODE: usize;

    /// Resolves a `T`.
    fn provide(&self) -> impl Future<Output = Result<T>> + Send;

    /// Whether [`provide_now`](Provide::provide_now) can ever work: `false` for what must be
    /// awaited (an async factory, an init hook, a collection). When it is `true` and
    /// [`now_ready`](Provide::now_ready) says so at run time, a by-value transient graph is built
    /// by plain calls, like nested struct literals, with no async state machine at all.
    ///
    /// Not recursive (a transient's says only whether the type itself can be built without
    /// awaiting): a cycle of transients is reported by the graph check, not as a cycle of
    /// constants.
    #[doc(hidden)]
    const NOW: bool = false;

    /// Whether [`provide_now`](Provide::provide_now) can be asked without asking
    /// [`now_ready`](Provide::now_ready) first: it builds nothing that could be left half done
    /// (a shared service read from its slot, a value, a handle), so a `None` from it costs nothing.
    #[doc(hidden)]
    const NOW_ALONE: bool = false;

    /// Whether [`provide_now`](Provide::provide_now) would return `Some` (checked before any part
    /// is built, so that a graph is built by one path or the other, never half by each).
    #[doc(hidden)]
    fn now_ready(&self) -> bool {
        false
    }

    /// Resolves a `T` without awaiting: `Some` of it; or `None` if it cannot be had now, or if it
    /// failed, and then its error is left in `failed`.
    ///
    /// The error goes beside the value, not in a `Result` around it, so that each level of a
    /// by-value graph hands up the value alone: a `Result<T>` moved up level by level puts the
    /// error's pointer over the value's first bytes, and the optimiser then writes the graph out
    /// field by field instead of in vectors, which the reader of the graph pays for.
    #[doc(hidden)]
    fn provide_now(&self, failed: &mut Option<Error>) -> Option<T> {
        let _ = failed;
        None
    }

    /// The creation of a shared service (this one, or one it needs) that is not created yet,
    /// started as `starts` allows: what to await before [`provide_now`](Provide::provide_now) can
    /// work. `None` when nothing is left to await.
    ///
    /// Every shape *settles*: once nothing is left to await, `provide_now` works; except a
    /// transient whose by-value graph holds something that must be awaited every time (an async
    /// factory, an init hook, a collection), which the container's graph finds (see
    /// [`settled`](crate::graph::settled)). A shape added to the runtime that does not settle
    /// must be known to that graph.
    #[doc(hidden)]
    fn pending(&self, starts: crate::slot::Starts) -> Option<crate::slot::Pending<'_>> {
        let _ = starts;
        None
    }
}

/// How a service is built in container `C`: the one recipe that [`#[injectable]`](crate::injectable)
/// writes for a struct (which builds itself) and [`#[factory]`](crate::factory) for a function's
/// companion type (which builds what the function returns). Every registration is built through
/// it: `container!` names the recipe of what it registers through [`Injectable`] or [`Factory`],
/// so that a type that has none is reported with the code of what it is missing.
///
/// The recipe knows no container: its impl is generic over `C`, bounded by `C: Provide<Dep>` for
/// each dependency; a container that lacks one is a compile error where it registers the type.
#[doc(hidden)]
pub trait Recipe<C>: Produces {
    /// Graph ids of the dependencies in `C`, for the compile-time graph check.
    const DEPS: &'static [usize];

    /// A decorated registration's decorators' dependencies, one slice per decorator (innermost
    /// first): each is a node of the graph, so that a loop through a decorator is a cycle.
    const LAYERS: &'static [&'static [usize]] = &[];

    /// Set by `#[injectable(dispose)]`: the container must dispose what it creates, so it cannot
    /// be a transient (checked at compile time).
    const DISPOSABLE: bool = false;

    /// Resolves every dependency from `c` and builds (for a struct, runs its init hook; for a
    /// factory, calls the function).
    fn build(c: &C) -> impl Future<Output = Result<Self::Output>> + Send;

    /// Whether [`build_now`](Recipe::build_now) can ever work: no init hook, no `async` function.
    const NOW: bool = false;

    /// Whether [`build_now`](Recipe::build_now) would return `Some`: every dependency can be had
    /// from `c` without awaiting.
    fn now_ready(c: &C) -> bool {
        let _ = c;
        false
    }

    /// Builds without awaiting, or `None` if a dependency cannot be had now, or if it failed
    /// (see [`Provide::provide_now`]).
    fn build_now(c: &C, failed: &mut Option<Error>) -> Option<Self::Output> {
        let _ = (c, failed);
        None
    }

    /// The creation of the first shared dependency that is not created yet, started as `starts`
    /// allows (see [`Provide::pending`]).
    fn pending(c: &C, starts: crate::slot::Starts) -> Option<crate::slot::Pending<'_>> {
        let _ = (c, starts);
        None
    }

    /// How the container disposes an instance it created, if it must: `#[injectable(dispose)]`
    /// returns its [`AsyncDispose`](crate::AsyncDispose) impl.
    fn disposer(built: &Arc<Self::Output>, name: &'static str) -> Option<Disposer> {
        let _ = (built, name);
        None
    }
}

/// A struct that builds itself: written by [`#[injectable]`](crate::injectable), its `Recipe` is
/// the struct's own ([`Recipe`]). A registration names its recipe through it, so that a struct
/// without `#[injectable]` is reported as such, once.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::not-injectable] `{Self}` cannot be built: it is not `#[injectable]`",
    label = "`{Self}` is not `#[injectable]`",
    note = "put `#[injectable]` on the struct, or register it with a factory: `singleton {Self} = make_it;`"
)]
pub trait Injectable: 'static {
    /// Its recipe: itself.
    type Recipe;
}

/// `c`'s `T` built by plain calls, if it can be had so now (`None` otherwise): what a resolve tries
/// at its first poll, and `get` first. A constant condition for what must always be awaited, so
/// that the plain-call path is not even compiled for it.
///
/// Its error, when it failed, is left in `failed`; each caller then returns the value and the
/// error on paths of their own, so that the value is written once, where the caller's caller
/// reads it (see [`Provide::provide_now`]).
#[inline(always)]
pub(crate) fn ready_now<P: Provide<T> + ?Sized, T>(c: &P, failed: &mut Option<Error>) -> Option<T> {
    if const { P::NOW } && (P::NOW_ALONE || c.now_ready()) { c.provide_now(failed) } else { None }
}

/// A `#[factory]` function, as the companion type that [`#[factory]`](crate::factory) writes
/// beside it: its `Recipe` calls the function ([`Recipe`]). A registration `= f` names its recipe
/// through it, so that a function without `#[factory]` is reported as such, once.
// the message names no container: for a scoped or transient registration it is the scope type,
// which the user did not write
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-factory] `{Self}` is not a factory that the container can call",
    label = "not a `#[factory]` function",
    note = "put `#[factory]` on the function"
)]
pub trait Factory: Produces {
    /// Its recipe: itself.
    type Recipe;
}

/// What a recipe builds, whatever container builds it: written by `#[injectable]` (the struct
/// itself) and `#[factory]` (what the function returns) with no bounds, so that naming it never
/// depends on the dependencies being provided. A registered service must also be `Send + Sync`,
/// which the registration checks (a field that is not is reported by `#[injectable]` itself).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-factory] `{Self}` is not a factory that the container can call",
    label = "not a `#[factory]` function",
    note = "put `#[factory]` on the function"
)]
pub trait Produces: 'static {
    /// What is built.
    type Output: 'static;
}
