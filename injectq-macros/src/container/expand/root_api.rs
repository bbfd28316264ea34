//! The root's inherent methods: `new` (one argument per `value` and `token`), `create_scope`,
//! `with_scope`, `start`, `resolve`, and its lifecycle (`dispose`, `shutdown`, deadlines,
//! `on_dispose`). The `resolve` and lifecycle methods are shared with the scope's.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::Type;

use super::super::parse::{Container, Lifetime};
use super::{Reg, state_names};
use crate::names::snake_case;

pub(super) fn expand(c: &Container, regs: &[Reg<'_>]) -> TokenStream {
    let (vis, name, scope) = (&c.vis, &c.name, &c.scope);
    let (root_state, _) = state_names(c);
    let mut used = std::collections::HashSet::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for g in regs.iter().filter(|g| !g.r.inherited && !g.is_alias()) {
        let (field, ty) = (&g.field, &g.r.ty);
        match g.r.lifetime {
            Lifetime::Value => {
                let arg = argument(ty, "value", &mut used);
                if g.r.token {
                    // the token carries its value: two tokens of one value type cannot be swapped
                    params.push(quote!(#arg: #ty));
                    inits.push(quote!(#field: #arg,));
                } else {
                    // `std`'s path, not the runtime's alias: this signature is what the docs show
                    params.push(quote!(#arg: impl ::core::convert::Into<::std::sync::Arc<#ty>>));
                    inits.push(quote!(#field: ::core::convert::Into::into(#arg),));
                }
            }
            Lifetime::Singleton => inits.push(quote!(#field: ::core::default::Default::default(),)),
            _ => {}
        }
    }
    let new_doc = if params.is_empty() {
        "Creates the container. Nothing is built until it is resolved.".to_owned()
    } else {
        "Creates the container from its `value` and `token` registrations, one argument each in declaration order: a value (or an `Arc` of it), a token with its value (`ApiKey(key)`). Nothing is built until it is resolved.".to_owned()
    };
    let (name_str, scope_str) = (name.to_string(), scope.to_string());
    let new_fn = match &c.parent {
        None => quote! {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            #vis fn new(#(#params),*) -> Self {
                Self {
                    __state: ::injectq::__private::Checked::shared(#root_state {
                        bag: ::injectq::__private::DisposeBag::root(#name_str, #scope_str),
                        phases: ::core::default::Default::default(),
                        #(#inits)*
                    }),
                }
            }
        },
        Some(parent) => {
            let doc = format!(
                "Creates a child of `parent`: it sees the parent's registrations (its singletons and values are the parent's instances), owns its own singletons, and is disposed before the parent. {new_doc}"
            );
            quote! {
                #[doc = #doc]
                #vis fn new(parent: &#parent, #(#params),*) -> Self {
                    Self {
                        __state: ::injectq::__private::Checked::shared(#root_state {
                            bag: ::injectq::__private::DisposeBag::child(&parent.__state.bag, #name_str, #scope_str),
                            phases: ::core::default::Default::default(),
                            parent: ::core::clone::Clone::clone(parent),
                            #(#inits)*
                        }),
                    }
                }
            }
        }
    };
    let starts =
        // an alternative that only a choice registers is created when it is chosen
        regs.iter().filter(|g| g.r.lifetime == Lifetime::Singleton && !g.r.inherited && !g.is_alias() && !g.r.alternative && g.r.generics.is_none() && g.r.private.is_none()).map(|g| {
            let ty = &g.r.ty;
            quote!(::injectq::__private::start_one::<#ty, Self>(self))
        });
    let hosted = regs.iter().filter(|g| g.r.hosted.is_some() && !g.r.inherited && !g.is_alias()).map(|g| {
        let ty = &g.r.ty;
        let (name, node) = (&g.name, g.node);
        let keyword = g.r.hosted.as_ref().expect("filtered");
        // the bound `T: Hosted` is checked here, at the `hosted` keyword
        let call = quote::quote_spanned!(keyword.span()=> ::injectq::__private::hosted::<#ty, Self>);
        quote!(#call(self, #name, #node))
    });
    let checks = regs.iter().filter(|g| g.r.health.is_some() && !g.r.inherited && !g.is_alias()).map(|g| {
        let ty = &g.r.ty;
        let name = &g.name;
        let keyword = g.r.health.as_ref().expect("filtered");
        // the bound `T: HealthCheck` is checked here, at the `health` option
        let call = quote::quote_spanned!(keyword.span()=> ::injectq::__private::checked::<#ty, Self>);
        quote!(#call(self, #name))
    });
    let kinds = super::kinds(c);
    let root_openers: Vec<_> =
        kinds.iter().filter(|kind| kind.parent.is_none()).map(|kind| openers(c, regs, kind)).collect();
    // a nested kind is opened from a scope of its outer kind
    let nested = kinds.iter().filter_map(|kind| {
        let outer = kind.parent?;
        let openers = openers(c, regs, kind);
        Some(quote! {
            #[allow(dead_code)]
            impl #outer {
                #openers
            }
        })
    });
    let misplaced = misplaced_openers(c, &kinds);
    let root_resolve = resolve_method(vis, &quote!([&self.__state.bag]));
    let hosts = regs.iter().any(|g| g.r.hosted.is_some() && !g.r.inherited);
    let root_lifecycle = lifecycle_methods(vis, &name_str, Some(&scope_str), hosts);
    quote! {
        // the generated API is there to be used, not all of it by every program
        #[allow(dead_code)]
        impl #name {
            #[allow(clippy::new_without_default)]
            #new_fn

            #(#root_openers)*

            /// Creates every singleton now, independent ones concurrently, so that start-up
            /// takes as long as its longest chain of dependencies, not the sum; a failure shows at
            /// start-up instead of at the first request. Then starts every `hosted` service, each
            /// after the hosted services it depends on, independent ones concurrently, and marks
            /// the container ready ([`is_ready`](Self::is_ready)). Returns what it did, each
            /// hosted service's start slowest first.
            ///
            /// If a creation fails, its error is returned and the creations still running are
            /// dropped; what was created stays (it is disposed with the container), the container
            /// stays usable, and a later `start()` or `resolve()` creates what is missing. If a
            /// hosted service's start fails (`ErrorKind::Start`), the hosted services that had
            /// started are stopped first. A second call while one runs waits for it; once it
            /// succeeded, `start()` returns the same report. Once a shutdown has begun it fails
            /// with `ErrorKind::ShuttingDown`.
            #vis async fn start(&self) -> ::injectq::__private::Result<::injectq::StartReport> {
                let began = ::injectq::__private::Instant::now();
                ::injectq::__private::start(&self.__state.bag, ::std::vec![#(#starts),*]).await?;
                ::injectq::__private::start_hosted(&self.__state.phases, Self::graph(), began, ::std::vec![#(#hosted),*])
                    .await
            }

            /// The container's health: its phase (starting, running, stopping) and, while it
            /// runs, every `, health` check at once, each within its timeout. Live unless
            /// disposed or a liveness check failed; ready when running and no readiness check
            /// failed. For probes: `injectq::axum::health_routes`, `injectq::tonic::health_service`.
            #vis async fn health(&self) -> ::injectq::HealthReport {
                ::injectq::__private::health(
                    &self.__state.phases,
                    self.__state.bag.is_closed(),
                    #name_str,
                    ::std::vec![#(#checks),*],
                )
                .await
            }

            /// Whether the container is ready: [`start`](Self::start) has created every singleton
            /// and started every hosted service, and no shutdown (or disposal) has begun. For a
            /// readiness probe.
            #vis fn is_ready(&self) -> bool {
                self.__state.phases.is_ready() && !self.__state.bag.is_closed()
            }

            /// Waits until the container is [ready](Self::is_ready): `true`, or `false` if a
            /// shutdown (or disposal) began first.
            #vis async fn ready(&self) -> bool {
                self.__state.phases.ready().await
            }

            #root_resolve
            #root_lifecycle
        }

        #(#nested)*
        #misplaced
    }
}

pub(super) fn resolve_method(vis: &syn::Visibility, bags: &TokenStream) -> TokenStream {
    quote! {
        /// Resolves a `T`: `Arc<S>` for a singleton, scoped service or value; `T`, `Arc<T>` or
        /// `Box<T>` for a transient; `Arc<dyn Trait>` for a binding. Asking for a type that is
        /// not registered is a compile error; resolving after `dispose()` is an error.
        #[inline]
        #vis fn resolve<T>(&self) -> impl ::core::future::Future<Output = ::injectq::__private::Result<T>> + ::core::marker::Send
        where
            Self: ::injectq::__private::Provide<T>,
            T: ::core::marker::Send,
        {
            ::injectq::__private::resolving(#bags, self, <Self as ::injectq::__private::Provide<T>>::provide)
        }

        /// Resolves a `T` without awaiting: for code that cannot `.await` (a `Drop` impl, a
        /// thread of its own, a sync callback) or that wants no future. It compiles only where
        /// nothing in `T`'s by-value graph must be awaited every time (an init hook or an async
        /// factory of a transient, a collection): then the transients are built by plain calls,
        /// as nested struct literals. A shared service that is not created yet is created by
        /// plain calls when it can be; one whose creation must be awaited (an init hook, an
        /// async factory, or another task creating it now) is an error of kind `NotReady`:
        /// `get` never waits, so it can be called from any thread, with or without a runtime.
        /// After `start()`, every singleton is created. A failed creation leaves nothing behind
        /// (the next `get` or `resolve` tries again); a constructor that panics does too, and
        /// the panic reaches the caller. Getting after `dispose()` is an error.
        #[inline]
        #vis fn get<T>(&self) -> ::injectq::__private::Result<T>
        where
            Self: ::injectq::__private::Provide<T> + ::injectq::__private::GetNow<T>,
        {
            ::injectq::__private::get(#bags, self)
        }
    }
}

/// The lifecycle methods of the root (`dispose`, `shutdown`, deadlines) and the scope
/// (`dispose`, `dispose_as`, `set_outcome`); both have `on_dispose`.
pub(super) fn lifecycle_methods(vis: &syn::Visibility, owner: &str, scope: Option<&str>, hosts: bool) -> TokenStream {
    let private = quote!(::injectq::__private);
    let disposal = quote!(
        impl ::core::future::Future<Output = ::core::result::Result<(), ::injectq::DisposeError>>
        + ::core::marker::Send
        + 'static
        + use<>
    );
    let on_dispose_doc = format!(
        "Adds a handler that runs when `{owner}` is disposed, in creation order with its services (so before everything created earlier). Fails if `{owner}` is already disposed."
    );
    let on_dispose = quote! {
        #[doc = #on_dispose_doc]
        #vis fn on_dispose<F, Fut, E>(&self, handler: F) -> #private::Result<()>
        where
            F: ::core::ops::FnOnce() -> Fut + ::core::marker::Send + 'static,
            Fut: ::core::future::Future<Output = ::core::result::Result<(), E>> + ::core::marker::Send + 'static,
            E: ::core::convert::Into<::injectq::BoxError>,
        {
            #private::on_dispose(&self.__state.bag, handler)
        }
    };
    let Some(scope) = scope else {
        let dispose_doc = format!(
            "Disposes every scoped service that `{owner}` created (and the handlers added with `on_dispose`), newest first, so a service is disposed before what it depends on; its disposers see `Outcome::Completed` unless something worse was reported. Every disposer runs, even when others fail, panic or time out; the failures come back together. There is one disposal: a second call, concurrent or later, waits for it and returns its result. Dropping the future does not stop it: the rest runs on the tokio runtime. Resolving afterwards is an error."
        );
        return quote! {
            #[doc = #dispose_doc]
            #vis fn dispose(&self) -> #disposal {
                self.__state.bag.dispose()
            }

            /// [`dispose`](Self::dispose), reporting how the scope's work went first: its
            /// disposers see the worst outcome reported.
            #vis fn dispose_as(&self, outcome: ::injectq::Outcome) -> #disposal {
                self.__state.bag.dispose_as(outcome)
            }

            /// Reports how the scope's work went, for its disposers (a unit of work commits only
            /// on `Outcome::Completed`); they see the worst outcome reported.
            #vis fn set_outcome(&self, outcome: ::injectq::Outcome) {
                self.__state.bag.report(outcome);
            }

            #on_dispose
        };
    };
    // a container with hosted services stops them first, before anything they depend on is
    // disposed; every container stops being ready when either begins
    let (dispose_body, shutdown_body) = if hosts {
        (
            quote! {
                self.__state.phases.mark_stopping();
                let this = ::core::clone::Clone::clone(self);
                self.__state.bag.dispose_container_after(async move {
                    let limit = this.__state.bag.dispose_timeout();
                    #private::stop_hosted(&this.__state.phases, limit).await
                })
            },
            quote! {
                let stopped = #private::stop_hosted(&self.__state.phases, #private::Option::Some(deadline)).await;
                #private::merge_failures(#owner, stopped, self.__state.bag.shutdown(deadline).await)
            },
        )
    } else {
        (
            quote! {
                self.__state.phases.mark_stopping();
                self.__state.bag.dispose_container()
            },
            quote! {
                self.__state.phases.mark_stopping();
                self.__state.bag.shutdown(deadline).await
            },
        )
    };
    let stops = if hosts {
        " Its hosted services are stopped first (see `injectq::Hosted`), a service after those that depend on it, each within its stop timeout or the container's dispose timeout; their failures come first in the error."
    } else {
        ""
    };
    let shutdown_stops = if hosts {
        " Its hosted services are stopped first (see `injectq::Hosted`), a service after those that depend on it, each within its stop timeout or `deadline`; their failures come first in the error."
    } else {
        ""
    };
    let dispose_doc = format!(
        "Disposes `{owner}`: first its scopes that are still open (their disposers see `Outcome::Cancelled`) and its child containers, then every singleton it created and the handlers added with `on_dispose`, newest first, so a service is disposed before what it depends on. Every disposer runs, even when others fail, panic or time out; the failures come back together. There is one disposal: a second call, concurrent or later, waits for it and returns its result. Dropping the future does not stop it: the rest runs on the tokio runtime. Resolving afterwards is an error.{stops}"
    );
    let shutdown_doc = format!(
        "Shuts `{owner}` down gracefully: new scopes are refused (resolving from a `{scope}` opened now fails with `ErrorKind::ShuttingDown`), the scopes in flight are awaited until they have ended (disposed, or dropped and disposed in the background) or `deadline` has passed, and then everything is disposed as [`dispose`](Self::dispose) does, scopes still open as `Outcome::Cancelled`. The error lists every disposer that failed or timed out, and how many scopes were still open at the deadline. Disposal itself is bounded by the dispose timeout, if one is set.{shutdown_stops}"
    );
    quote! {
        #[doc = #dispose_doc]
        #vis fn dispose(&self) -> #disposal {
            #dispose_body
        }

        #[doc = #shutdown_doc]
        #vis async fn shutdown(&self, deadline: ::core::time::Duration) -> ::core::result::Result<(), ::injectq::DisposeError> {
            #shutdown_body
        }

        /// Bounds each disposer (unless its `AsyncDispose::dispose_timeout` says otherwise): one
        /// that takes longer is abandoned and reported as timed out, and the others still run.
        ///
        /// A setting of the container, shared by every handle to it (a clone sees it too), not
        /// of this handle: set it once, after `new`. Scopes and child containers opened
        /// afterwards take the same deadline; those already open keep theirs. Needs tokio's
        /// timer (`enable_time`, which `#[tokio::main]` enables).
        #vis fn set_dispose_timeout(&self, limit: ::core::time::Duration) {
            self.__state.bag.set_dispose_timeout(limit);
        }

        /// Bounds each creation of a singleton or scoped service, its wait for another task's
        /// creation of the same service included: past the deadline it fails with
        /// `ErrorKind::Timeout`, naming the service, and so do the creations that waited for it.
        /// This turns a wait that no cycle check can see (an init hook awaiting a spawned task
        /// that resolves the same service) into an error.
        ///
        /// A setting of the container, shared by every handle to it, as
        /// [`set_dispose_timeout`](Self::set_dispose_timeout) is: set it once, after `new`.
        /// Scopes and child containers opened afterwards take the same deadline. Needs tokio's
        /// timer.
        #vis fn set_create_timeout(&self, limit: ::core::time::Duration) {
            self.__state.bag.set_create_timeout(limit);
        }

        #on_dispose
    }
}

/// The argument of `new` (or `create_scope`) for a `value` (or an `input`) of type `ty`, named
/// after it and unique among `used`.
fn argument(ty: &Type, fallback: &str, used: &mut std::collections::HashSet<String>) -> Ident {
    let base = last_ident(ty).map_or_else(|| fallback.to_owned(), |i| snake_case(&i.to_string()));
    let mut arg = base.clone();
    let mut n = 2;
    while !used.insert(arg.clone()) {
        arg = format!("{base}_{n}");
        n += 1;
    }
    format_ident!("{}", arg)
}

/// The name a `value` argument of `new` takes after: `Config` -> `config`, `dyn Clock` -> `clock`.
fn last_ident(ty: &Type) -> Option<&Ident> {
    let path = match ty {
        Type::Path(p) => &p.path,
        Type::TraitObject(t) => t.bounds.iter().find_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(&t.path),
            _ => None,
        })?,
        _ => return None,
    };
    path.segments.last().map(|s| &s.ident)
}

/// How a kind of scope is opened, on the root: for the container's own kind, `create_scope()`
/// (no inputs) or `create_scope_with(inputs)`, `with_scope(f)` or `with_scope_with(inputs, f)`;
/// for a `scope JobScope { .. }` kind, the same named after it: `create_job_scope()`,
/// `create_job_scope_with(inputs)`, `with_job_scope(f)`, `with_job_scope_with(inputs, f)`.
/// The calls that open a scope of `kind`: `create_scope`, `create_scope_with`, `with_scope`,
/// `with_scope_with` for the container's own, `create_job_scope` and so on for a `scope JobScope`.
fn opener_names(kind: &super::KindOut<'_>) -> [Ident; 4] {
    if kind.own {
        return ["create_scope", "create_scope_with", "with_scope", "with_scope_with"]
            .map(|name| format_ident!("{name}"));
    }
    let snake = snake_case(&kind.name.to_string());
    [
        format_ident!("create_{}", snake),
        format_ident!("create_{}_with", snake),
        format_ident!("with_{}", snake),
        format_ident!("with_{}_with", snake),
    ]
}

/// A `scope` kind's openers where it is not opened (the container, for a nested kind; a scope of
/// another kind): hidden, and refused where they are called with `[injectq::scope-opener]`, which
/// names where it is opened (rustc alone would say "no method", and suggest `create_scope_with`).
/// The bound is checked at the call, not here, because it names a lifetime of its own.
fn misplaced_openers(c: &Container, kinds: &[super::KindOut<'_>]) -> TokenStream {
    let vis = &c.vis;
    let places: Vec<&Ident> = std::iter::once(&c.name).chain(kinds.iter().map(|k| k.name)).collect();
    let impls = kinds.iter().filter(|kind| !kind.own).flat_map(|kind| {
        let scope = kind.name;
        let home = kind.parent.unwrap_or(&c.name);
        let (inputs, _) = super::inputs_tuple(c, scope);
        let [create, create_with, with, with_with] = opener_names(kind);
        places.iter().filter(move |place| **place != home).map(move |place| {
            let refused = quote!(for<'__opened> #scope: ::injectq::__private::OpenedFrom<#place, #home>);
            quote! {
                #[automatically_derived]
                #[allow(dead_code, unused_variables, clippy::type_complexity)]
                impl #place {
                    #[doc(hidden)]
                    #vis fn #create(&self) -> #scope where #refused {
                        ::core::unreachable!()
                    }

                    #[doc(hidden)]
                    #vis fn #create_with(&self, inputs: #inputs) -> #scope where #refused {
                        ::core::unreachable!()
                    }

                    #[doc(hidden)]
                    #vis fn #with<'__scope, F, Fut, T, E>(
                        &'__scope self,
                        f: F,
                    ) -> ::core::pin::Pin<::std::boxed::Box<dyn ::core::future::Future<Output = ::core::result::Result<T, E>> + '__scope>>
                    where
                        F: ::core::ops::FnOnce(#scope) -> Fut + '__scope,
                        Fut: ::core::future::Future<Output = ::core::result::Result<T, E>> + '__scope,
                        #refused
                    {
                        ::core::unreachable!()
                    }

                    #[doc(hidden)]
                    #vis fn #with_with<'__scope, F, Fut, T, E>(
                        &'__scope self,
                        inputs: #inputs,
                        f: F,
                    ) -> ::core::pin::Pin<::std::boxed::Box<dyn ::core::future::Future<Output = ::core::result::Result<T, E>> + '__scope>>
                    where
                        F: ::core::ops::FnOnce(#scope) -> Fut + '__scope,
                        Fut: ::core::future::Future<Output = ::core::result::Result<T, E>> + '__scope,
                        #refused
                    {
                        ::core::unreachable!()
                    }
                }
            }
        })
    });
    quote!(#(#impls)*)
}

fn openers(c: &Container, regs: &[Reg<'_>], kind: &super::KindOut<'_>) -> TokenStream {
    let (vis, scope, scope_state) = (&c.vis, kind.name, &kind.state);
    let scope_str = scope.to_string();
    // opened from the root, or (a nested kind) from a scope of its outer kind, which it keeps
    let handles = match kind.parent {
        None => quote!(root: ::core::clone::Clone::clone(self),),
        Some(_) => quote! {
            root: ::core::clone::Clone::clone(&self.__state.root),
            parent: ::core::clone::Clone::clone(self),
        },
    };
    let [create, create_with, with, with_with] = opener_names(kind);
    // the scope's inputs, one value (`Caller`) or a tuple (`(Caller, RequestId)`) in declaration
    // order, destructured into one binding each
    let (inputs, count) = super::inputs_tuple(c, scope);
    let bindings: Vec<Ident> = (0..count).map(|i| format_ident!("__input{}", i)).collect();
    let pattern = match bindings.as_slice() {
        [one] => quote!(#one),
        all => quote!((#(#all,)*)),
    };
    let mut next_input = bindings.iter();
    let scope_inits: Vec<_> = regs
        .iter()
        .filter(|g| !g.is_alias() && super::kind_of(c, g.r) == scope)
        .filter_map(|g| {
            let field = &g.field;
            match g.r.lifetime {
                Lifetime::Scoped => Some(quote!(#field: ::core::default::Default::default(),)),
                Lifetime::Input => {
                    let input = next_input.next()?;
                    Some(quote!(#field: ::core::convert::Into::into(#input),))
                }
                _ => None,
            }
        })
        .collect();
    let opens = match kind.parent {
        None => "Opens a scope (a request, a job, a unit of work): its `scoped` services are created on first use and shared until the scope is disposed. While the container shuts down (or once it is disposed), the scope is refused: resolving from it fails with `ErrorKind::ShuttingDown` (or `Disposed`).".to_owned(),
        Some(outer) => format!("Opens a scope of `{scope_str}` inside this scope of `{outer}`: its `scoped` services are created on first use and shared until it is disposed, and it sees this scope's services and inputs. It is disposed before this scope: this scope's disposal disposes it first (as `Cancelled` if it is still open). Once this scope is disposed, it is refused: resolving from it fails with `ErrorKind::Disposed`. While the container shuts down, this scope, already open, still opens inner scopes until it ends."),
    };
    let create_scope_with_doc = if count == 0 {
        format!("{opens} The same as `{create}()`: a scope without `input` registrations takes `()`.")
    } else {
        format!(
            "{opens} It is given the scope's inputs, `{}`: one value per `input` registration, as a tuple in declaration order when there are several (a trait object as `Arc<dyn Trait>`). Services of the scope depend on them like on any registration.",
            crate::names::display(&inputs)
        )
    };
    // `create_scope()` and `with_scope(f)` of a container whose scopes take inputs: hidden, and
    // refused where they are called with `[injectq::scope-inputs]` (the bound is checked at the
    // call, not here, because it names a lifetime of its own)
    let (no_inputs_doc, no_inputs) = if count == 0 {
        (quote!(), quote!())
    } else {
        (quote!(#[doc(hidden)]), quote!(for<'__no_inputs> #inputs: ::injectq::NoInputs,))
    };
    let with_scope = if count == 0 {
        quote! {
            #vis async fn #with<F, Fut, T, E>(&self, f: F) -> ::core::result::Result<T, E>
            where
                E: ::core::convert::From<::injectq::DisposeError>,
                F: ::core::ops::FnOnce(#scope) -> Fut,
                Fut: ::core::future::Future<Output = ::core::result::Result<T, E>>,
            {
                self.#with_with((), f).await
            }
        }
    } else {
        // its future is boxed, so that the refused bound is reported once, at the call (an
        // `async fn`'s future would carry it to the `.await` as well)
        quote! {
            #[doc(hidden)]
            #[allow(clippy::type_complexity)]
            #vis fn #with<'__scope, F, Fut, T, E>(
                &'__scope self,
                f: F,
            ) -> ::core::pin::Pin<::std::boxed::Box<dyn ::core::future::Future<Output = ::core::result::Result<T, E>> + '__scope>>
            where
                E: ::core::convert::From<::injectq::DisposeError> + '__scope,
                F: ::core::ops::FnOnce(#scope) -> Fut + '__scope,
                Fut: ::core::future::Future<Output = ::core::result::Result<T, E>> + '__scope,
                T: '__scope,
                #no_inputs
            {
                ::std::boxed::Box::pin(self.#with_with(::core::default::Default::default(), f))
            }
        }
    };
    quote! {
            #[doc = #opens]
            #[doc = ""]
            #[doc = "A container whose scopes take inputs opens them with `create_scope_with(inputs)`."]
            #no_inputs_doc
            #vis fn #create(&self) -> #scope where #no_inputs {
                self.#create_with(::core::default::Default::default())
            }

            #[doc = #create_scope_with_doc]
            #[allow(clippy::unused_unit)]
            #vis fn #create_with(&self, #pattern: #inputs) -> #scope {
                #scope {
                    __state: ::injectq::__private::Checked::shared(#scope_state {
                        #handles
                        bag: ::injectq::__private::DisposeBag::scope(&self.__state.bag, #scope_str),
                        #(#scope_inits)*
                    }),
                }
            }

            /// Runs `f` in a new scope, entered as the task's current scope, and always disposes
            /// the scope afterwards: the `async with` request scope. Its disposers see how the
            /// work ended: `Completed` if `f` returned `Ok`, `Failed` if it returned `Err`,
            /// `Panicked` if it panicked (the panic goes on once the scope is disposed),
            /// `Cancelled` if this future is dropped first (then the scope is disposed in the
            /// background).
            ///
            /// Returns what `f` returned; if `f` succeeded but a disposer failed, the
            /// `DisposeError` as an `E` (which `injectq::Error`, `Box<dyn Error + Send + Sync>`
            /// and `anyhow::Error` convert from). If both failed, `f`'s error is returned and the
            /// disposal's is logged. A container whose scopes take inputs uses
            /// `with_scope_with(inputs, f)`.
            #with_scope

            /// `with_scope(f)`, in a scope opened with `inputs` (see `create_scope_with`).
            #vis async fn #with_with<F, Fut, T, E>(&self, inputs: #inputs, f: F) -> ::core::result::Result<T, E>
            where
                E: ::core::convert::From<::injectq::DisposeError>,
                F: ::core::ops::FnOnce(#scope) -> Fut,
                Fut: ::core::future::Future<Output = ::core::result::Result<T, E>>,
            {
                let scope = self.#create_with(inputs);
                let body = scope.enter(f(::core::clone::Clone::clone(&scope)));
                ::injectq::__private::with_scope(&scope.__state.bag, body).await
            }
    }
}
