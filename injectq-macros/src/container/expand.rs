//! The root container, its scope, their `Provide` impls and the graph check.
//!
//! - The root (`App`) holds the values and one cell per singleton. It has a concrete
//!   `Provide` impl per value and singleton (checked here) and one blanket impl through which
//!   transients are built and scoped services refused, checked where they are needed.
//! - The scope (`AppScope`) holds the root and one cell per scoped service, and has a concrete
//!   impl for every registration, so the whole graph is checked against it here.
//! - A `const` runs the graph check (cycles, captive dependencies) during compilation.
//!
//! Every piece of code that can fail to type-check for a broken registration carries that
//! registration's span, so the error points at the user's line.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::parse::{Container, Dispose, Lifetime, Registration, Source};
use crate::names::{display, snake_case};

/// One registration with what expansion needs to know about it.
struct Reg<'a> {
    node: usize,
    r: &'a Registration,
    field: Ident,
    name: String,
}

impl Reg<'_> {
    /// What is built and stored: the registered type, or a token's value type.
    fn stored(&self) -> TokenStream {
        let ty = &self.r.ty;
        if self.r.token { quote!(<#ty as ::injectq::__private::Token>::Value) } else { quote!(#ty) }
    }

    /// What a shared registration is resolved as: `Arc<T>`, or `Tagged<K>` for a token.
    fn provided(&self) -> TokenStream {
        let ty = &self.r.ty;
        if self.r.token { quote!(::injectq::__private::Tagged<#ty>) } else { arc(ty) }
    }
}

pub(crate) fn expand(c: &Container) -> TokenStream {
    let regs: Vec<Reg<'_>> = c
        .registrations
        .iter()
        .enumerate()
        .map(|(node, r)| Reg { node, r, field: format_ident!("r{}", node), name: display(&r.ty) })
        .collect();
    let structs = structs(c, &regs);
    let inherent = inherent(c, &regs);
    let root = regs.iter().map(|g| root_impls(c, g));
    let scope = regs.iter().map(|g| scope_impls(c, g));
    let blanket = root_blanket(c);
    let shapes = by_value_shapes(&c.scope);
    let handles = handles(c);
    let lazies = regs.iter().map(|g| lazy_impls(c, g));
    let optional = super::expand_optional::expand(c);
    let collections = super::expand_multi::collections(c, regs.len());
    let multi = collections.iter().map(|col| super::expand_multi::expand(c, col));
    let graph = graph_check(c, &regs, &super::expand_multi::collections(c, regs.len()));
    let children = c.children.iter().map(|child| expand(&derive_child(c, child)));
    quote! {
        #(#children)*
        #structs
        #inherent
        #(#root)*
        #blanket
        #(#scope)*
        #shapes
        #handles
        #(#lazies)*
        #optional
        #(#multi)*
        #graph
    }
}

/// A child container as one declaration: its parent's registrations first (singletons, values
/// and tokens resolved from the parent instance, the others rebuilt in the child), then its own.
pub(crate) fn derive_child(parent: &Container, child: &Container) -> Container {
    let inherited = parent.registrations.iter().cloned().map(|mut r| {
        r.inherited = matches!(r.lifetime, Lifetime::Singleton | Lifetime::Value);
        r.dispose = if r.inherited { None } else { r.dispose };
        r
    });
    let registrations: Vec<_> = inherited.chain(child.registrations.iter().cloned()).collect();
    Container {
        attrs: child.attrs.clone(),
        vis: child.vis.clone(),
        name: child.name.clone(),
        scope: child.scope.clone(),
        generics: child.generics.clone(),
        absents: parent.absents.iter().chain(&child.absents).cloned().collect(),
        children: child.children.clone(),
        parent: Some(parent.name.clone()),
        from_parent: parent.registrations.len(),
        registrations,
    }
}

fn state_names(c: &Container) -> (Ident, Ident) {
    (format_ident!("__{}State", c.name), format_ident!("__{}State", c.scope))
}

fn structs(c: &Container, regs: &[Reg<'_>]) -> TokenStream {
    let (vis, attrs, name, scope) = (&c.vis, &c.attrs, &c.name, &c.scope);
    let (name_str, scope_str) = (name.to_string(), scope.to_string());
    let (root_state, scope_state) = state_names(c);
    let parent_field = c.parent.as_ref().map(|p| quote!(parent: #p,));
    let root_fields = regs.iter().filter(|g| !g.r.inherited).filter_map(|g| {
        let (field, ty) = (&g.field, &g.r.ty);
        let stored = g.stored();
        match g.r.lifetime {
            Lifetime::Value if g.r.token => Some(quote!(#field: #stored,)),
            Lifetime::Value => Some(quote!(#field: ::injectq::__private::ArcType<#ty>,)),
            Lifetime::Singleton => Some(quote!(#field: ::injectq::__private::Slot<#stored>,)),
            _ => None,
        }
    });
    let scope_fields = regs.iter().filter(|g| g.r.lifetime == Lifetime::Scoped).map(|g| {
        let (field, ty) = (&g.field, &g.r.ty);
        quote!(#field: ::injectq::__private::Slot<#ty>,)
    });
    let scope_doc = format!(
        "A scope of [`{name}`]: one instance of each `scoped` service, created on first use and shared within the scope. Open one with [`{name}::create_scope`]."
    );
    quote! {
        #(#attrs)*
        #vis struct #name {
            __state: ::injectq::__private::ArcType<::injectq::__private::Checked<#root_state>>,
        }

        #[doc = #scope_doc]
        #[allow(dead_code)] // a program may never open a scope
        #vis struct #scope {
            __state: ::injectq::__private::ArcType<::injectq::__private::Checked<#scope_state>>,
        }

        #[doc(hidden)]
        #[allow(dead_code)]
        #vis struct #root_state {
            bag: ::injectq::__private::DisposeBag,
            #parent_field
            #(#root_fields)*
        }

        // proves the root's state `Send + Sync` here, once: elsewhere `Checked` stands for it
        #[automatically_derived]
        impl ::injectq::__private::ThreadSafe for #root_state {}

        #[automatically_derived]
        impl ::injectq::__private::ThreadSafe for #scope_state {}

        #[doc(hidden)]
        #[allow(dead_code)]
        #vis struct #scope_state {
            root: #name,
            bag: ::injectq::__private::DisposeBag,
            #(#scope_fields)*
        }

        impl ::core::clone::Clone for #name {
            /// Another handle to the same container: singletons are shared.
            fn clone(&self) -> Self {
                Self { __state: ::core::clone::Clone::clone(&self.__state) }
            }
        }

        impl ::core::clone::Clone for #scope {
            /// Another handle to the same scope: scoped services are shared.
            fn clone(&self) -> Self {
                Self { __state: ::core::clone::Clone::clone(&self.__state) }
            }
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name_str).field("bag", &self.__state.bag).finish_non_exhaustive()
            }
        }

        impl ::core::fmt::Debug for #scope {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#scope_str).field("bag", &self.__state.bag).finish_non_exhaustive()
            }
        }
    }
}

fn inherent(c: &Container, regs: &[Reg<'_>]) -> TokenStream {
    let (vis, name, scope) = (&c.vis, &c.name, &c.scope);
    let (root_state, scope_state) = state_names(c);
    let mut used = std::collections::HashSet::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for g in regs.iter().filter(|g| !g.r.inherited) {
        let (field, ty) = (&g.field, &g.r.ty);
        match g.r.lifetime {
            Lifetime::Value => {
                let base = last_ident(ty).map_or_else(|| "value".to_owned(), |i| snake_case(&i.to_string()));
                let mut arg = base.clone();
                let mut n = 2;
                while !used.insert(arg.clone()) {
                    arg = format!("{base}_{n}");
                    n += 1;
                }
                let arg = format_ident!("{}", arg);
                let into = if g.r.token { g.stored() } else { arc(ty) };
                params.push(quote!(#arg: impl ::core::convert::Into<#into>));
                inits.push(quote!(#field: ::core::convert::Into::into(#arg),));
            }
            Lifetime::Singleton => inits.push(quote!(#field: ::core::default::Default::default(),)),
            _ => {}
        }
    }
    let scope_inits = regs.iter().filter(|g| g.r.lifetime == Lifetime::Scoped).map(|g| {
        let field = &g.field;
        quote!(#field: ::core::default::Default::default(),)
    });
    let new_doc = if params.is_empty() {
        "Creates the container. Nothing is built until it is resolved.".to_owned()
    } else {
        "Creates the container from its `value` registrations, one argument each (the value, or an `Arc` of it). Nothing is built until it is resolved.".to_owned()
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
                            parent: ::core::clone::Clone::clone(parent),
                            #(#inits)*
                        }),
                    }
                }
            }
        }
    };
    let starts = regs.iter().filter(|g| g.r.lifetime == Lifetime::Singleton && !g.r.inherited).map(|g| {
        let requested = g.provided();
        quote!(::injectq::__private::created(<Self as ::injectq::__private::Provide<#requested>>::provide(self)))
    });
    let root_resolve = resolve_method(vis, &root_bags());
    let scope_resolve = resolve_method(vis, &scope_bags());
    let root_lifecycle = lifecycle_methods(vis, &name_str, Some(&scope_str));
    let scope_lifecycle = lifecycle_methods(vis, &scope_str, None);
    quote! {
        // the generated API is there to be used, not all of it by every program
        #[allow(dead_code)]
        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            #new_fn

            /// Opens a scope (a request, a job, a unit of work): its `scoped` services are
            /// created on first use and shared until the scope is disposed. While the container
            /// shuts down (or once it is disposed), the scope is refused: resolving from it fails
            /// with `ErrorKind::ShuttingDown` (or `Disposed`).
            #vis fn create_scope(&self) -> #scope {
                #scope {
                    __state: ::injectq::__private::Checked::shared(#scope_state {
                        root: ::core::clone::Clone::clone(self),
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
            #vis async fn with_scope<F, Fut, T, E>(
                &self,
                f: F,
            ) -> ::core::result::Result<::core::result::Result<T, E>, ::injectq::DisposeError>
            where
                F: ::core::ops::FnOnce(#scope) -> Fut,
                Fut: ::core::future::Future<Output = ::core::result::Result<T, E>>,
            {
                let scope = self.create_scope();
                let body = scope.enter(f(::core::clone::Clone::clone(&scope)));
                ::injectq::__private::with_scope(&scope.__state.bag, body).await
            }

            /// Creates every singleton now, independent ones concurrently, so that start-up
            /// takes as long as its longest chain of dependencies, not the sum; a failure shows at
            /// start-up instead of at the first request. If one fails, its error is returned and
            /// the creations still running are dropped; what was created stays (it is disposed
            /// with the container), the container stays usable, and a later `start()` or
            /// `resolve()` creates what is missing.
            #vis async fn start(&self) -> ::injectq::__private::Result<()> {
                ::injectq::__private::start(&self.__state.bag, ::std::vec![#(#starts),*]).await
            }

            #root_resolve
            #root_lifecycle
        }

        #[allow(dead_code)]
        impl #scope {
            #scope_resolve
            #scope_lifecycle

            /// The container this scope belongs to.
            #vis fn root(&self) -> &#name {
                &self.__state.root
            }

            /// Runs `f` with this scope entered as the task's current scope, so that code with no
            /// handle in reach finds it with [`current()`](Self::current). Spawned tasks do not
            /// inherit it: enter it in them too (`tokio::spawn(scope.enter(fut))`; the future
            /// holds its own handle to the scope, so it does not borrow it).
            #vis fn enter<F: ::core::future::Future>(&self, f: F) -> impl ::core::future::Future<Output = F::Output> + use<F> {
                ::injectq::__private::enter(&self.__state, f)
            }

            /// Resolves a `T` from the task's current scope: Ascender's `inject(T)`, for code
            /// with no handle in reach.
            #vis async fn inject<T>() -> ::injectq::__private::Result<T>
            where
                Self: ::injectq::__private::Provide<T>,
                T: ::core::marker::Send,
            {
                Self::current()?.resolve::<T>().await
            }

            /// Resolves a `T` from the task's current scope, or returns `fallback` if the
            /// container declares it `absent`: Ascender's `inject(token, fallback)`. A failing
            /// resolution is an error, not the fallback.
            #vis async fn inject_or<T>(fallback: T) -> ::injectq::__private::Result<T>
            where
                Self: ::injectq::__private::Provide<::injectq::__private::Option<T>>,
                T: ::core::marker::Send,
            {
                let found = Self::current()?.resolve::<::injectq::__private::Option<T>>().await?;
                ::injectq::__private::Ok(found.unwrap_or(fallback))
            }

            /// The scope the current task entered (the innermost, if several are), or an error
            /// of kind `NoCurrentScope` if it entered none.
            #vis fn current() -> ::injectq::__private::Result<Self> {
                ::injectq::__private::current::<::injectq::__private::Checked<#scope_state>>(#scope_str).map(|__state| Self { __state })
            }
        }
    }
}

/// The disposal bags whose closing makes the root unusable: its own (twice, for one signature).
fn root_bags() -> TokenStream {
    quote!([&self.__state.bag, &self.__state.bag])
}

/// The disposal bags whose closing makes a scope unusable: its own and its root's.
fn scope_bags() -> TokenStream {
    quote!([&self.__state.bag, &self.__state.root.__state.bag])
}

fn resolve_method(vis: &syn::Visibility, bags: &TokenStream) -> TokenStream {
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
    }
}

/// The lifecycle methods of the root (`dispose`, `shutdown`, deadlines) and the scope
/// (`dispose`, `dispose_as`, `set_outcome`); both have `on_dispose`.
fn lifecycle_methods(vis: &syn::Visibility, owner: &str, scope: Option<&str>) -> TokenStream {
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
    let dispose_doc = format!(
        "Disposes `{owner}`: first its scopes that are still open (their disposers see `Outcome::Cancelled`) and its child containers, then every singleton it created and the handlers added with `on_dispose`, newest first, so a service is disposed before what it depends on. Every disposer runs, even when others fail, panic or time out; the failures come back together. There is one disposal: a second call, concurrent or later, waits for it and returns its result. Dropping the future does not stop it: the rest runs on the tokio runtime. Resolving afterwards is an error."
    );
    let shutdown_doc = format!(
        "Shuts `{owner}` down gracefully: new scopes are refused (resolving from a `{scope}` opened now fails with `ErrorKind::ShuttingDown`), the scopes in flight are awaited until they have ended (disposed, or dropped and disposed in the background) or `deadline` has passed, and then everything is disposed as [`dispose`](Self::dispose) does, scopes still open as `Outcome::Cancelled`. The error lists every disposer that failed or timed out, and how many scopes were still open at the deadline. Disposal itself is bounded by the dispose timeout, if one is set."
    );
    quote! {
        #[doc = #dispose_doc]
        #vis fn dispose(&self) -> #disposal {
            self.__state.bag.dispose()
        }

        #[doc = #shutdown_doc]
        #vis async fn shutdown(&self, deadline: ::core::time::Duration) -> ::core::result::Result<(), ::injectq::DisposeError> {
            self.__state.bag.shutdown(deadline).await
        }

        /// Bounds each disposer (unless its `AsyncDispose::dispose_timeout` says otherwise): one
        /// that takes longer is abandoned and reported as timed out, and the others still run.
        /// Scopes and child containers opened afterwards take the same deadline. Needs tokio's
        /// timer (`enable_time`, which `#[tokio::main]` enables).
        #[must_use]
        #vis fn with_dispose_timeout(self, limit: ::core::time::Duration) -> Self {
            self.__state.bag.set_dispose_timeout(limit);
            self
        }

        /// Bounds each creation of a singleton or scoped service, its wait for another task's
        /// creation of the same service included: past the deadline it fails with
        /// `ErrorKind::Timeout`, naming the service, and so do the creations that waited for it.
        /// This turns a wait that no cycle check can see (an init hook awaiting a spawned task
        /// that resolves the same service) into an error. Scopes and child containers opened
        /// afterwards take the same deadline. Needs tokio's timer.
        #[must_use]
        #vis fn with_create_timeout(self, limit: ::core::time::Duration) -> Self {
            self.__state.bag.set_create_timeout(limit);
            self
        }

        #on_dispose
    }
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

/// `Arc<ty>` through the runtime's path.
fn arc(ty: &Type) -> TokenStream {
    quote!(::injectq::__private::ArcType<#ty>)
}

fn provide_impl(
    container: &Ident,
    requested: &TokenStream,
    node: &TokenStream,
    body: &TokenStream,
    now: &Now,
) -> TokenStream {
    provide_impl_at(proc_macro2::Span::call_site(), container, requested, node, body, now)
}

/// The synchronous half of a `Provide` impl (`NOW`, `now_ready`, `provide_now`): how a
/// registration is provided without awaiting, when it can be.
pub(crate) enum Now {
    /// only by awaiting (the trait's defaults)
    Never,
    /// always, as this expression of type `T`
    Always(TokenStream),
    /// once the slot `self.__state.<field>` is filled; its `Arc` mapped by the closure
    Filled(Ident, TokenStream),
    /// as `<P as Provide<T>>` provides it from the expression `self.__state...`, mapped by the
    /// closure on `Result`s
    Delegate(TokenStream, TokenStream, TokenStream),
    /// as `<T as Injectable<Self>>` builds it, mapped by the closure on `Result`s
    Build(TokenStream, TokenStream),
}

impl Now {
    /// The three items, for an impl of `Provide<requested>` (or nothing for `Never`).
    pub(crate) fn items(&self, requested: &TokenStream) -> TokenStream {
        let private = quote!(::injectq::__private);
        let (now, ready, provided) = match self {
            Now::Never => return TokenStream::new(),
            Now::Always(value) => (quote!(true), quote!(true), quote!(#private::Option::Some(#private::Ok(#value)))),
            Now::Filled(field, map) => (
                quote!(true),
                quote!(self.__state.#field.get().is_some()),
                quote!(self.__state.#field.get().map(|v| #private::Ok((#map)(v)))),
            ),
            Now::Delegate(provider, from, map) => (
                quote!(#provider::NOW),
                quote!(#provider::now_ready(#from)),
                quote!(#provider::provide_now(#from).map(#map)),
            ),
            Now::Build(builder, map) => {
                (quote!(#builder::NOW), quote!(#builder::now_ready(self)), quote!(#builder::build_now(self).map(#map)))
            }
        };
        quote! {
            const NOW: bool = #now;
            #[inline]
            fn now_ready(&self) -> bool {
                #ready
            }
            #[inline]
            fn provide_now(&self) -> #private::Option<#private::Result<#requested>> {
                #provided
            }
        }
    }
}

/// A `Provide` impl whose every token carries `span`: an error in it is reported once, there.
fn provide_impl_at(
    span: proc_macro2::Span,
    container: &Ident,
    requested: &TokenStream,
    node: &TokenStream,
    body: &TokenStream,
    now: &Now,
) -> TokenStream {
    let now = now.items(requested);
    quote_spanned! {span=>
        #[automatically_derived]
        impl ::injectq::__private::Provide<#requested> for #container {
            const NODE: usize = #node;
            #now
            // compiled where it is used: a shape nobody asks for costs no build time
            #[inline]
            #[allow(clippy::manual_async_fn)]
            fn provide(&self) -> impl ::core::future::Future<Output = ::injectq::__private::Result<#requested>> + ::core::marker::Send {
                #body
            }
        }
    }
}

/// The trait path registration `g` is built through, seen from container `ctx`:
/// `<T as Injectable<ctx>>` or `<make_t as Factory<ctx>>`, spanned at the registration. The
/// construction code and the graph check name the same path with the same span, so a broken
/// registration is one error, not one per place that names it.
fn builder(g: &Reg<'_>, ctx: &TokenStream) -> TokenStream {
    let span = g.r.span();
    match &g.r.source {
        Source::Itself => {
            let ty = &g.r.ty;
            quote_spanned!(span=> <#ty as ::injectq::__private::Injectable<#ctx>>)
        }
        Source::Bind(imp) => quote_spanned!(span=> <#imp as ::injectq::__private::Injectable<#ctx>>),
        Source::Factory(f) => quote_spanned!(span=> <#f as ::injectq::__private::Factory<#ctx>>),
        Source::BindAndFactory(..) => unreachable!("rejected in validation"),
    }
}

/// The future that builds registration `g` inside `provide(&self)`, `Self` being `ctx`.
fn building(g: &Reg<'_>, ctx: &TokenStream) -> TokenStream {
    let builder = builder(g, ctx);
    let ty = g.stored();
    match &g.r.source {
        Source::Factory(_) => quote_spanned!(g.r.span()=> ::injectq::__private::map_ok(
            #builder::call(self),
            ::injectq::__private::registered::<#builder::Output, #ty>,
        )),
        _ => quote_spanned!(g.r.span()=> #builder::build(self)),
    }
}

/// What the graph check records as the registration's dependencies, seen from `ctx`.
fn deps(g: &Reg<'_>, ctx: &TokenStream) -> TokenStream {
    if g.r.lifetime == Lifetime::Value || g.r.inherited {
        return quote!(&[]);
    }
    let builder = builder(g, ctx);
    quote_spanned!(g.r.span()=> #builder::DEPS)
}

/// The function that turns the built `Arc<T>` into the stored one: the identity, or a coercion
/// to a trait object for a binding.
fn wrap_arc(g: &Reg<'_>) -> TokenStream {
    let ty = g.stored();
    let built = match &g.r.source {
        Source::Bind(imp) => quote!(#imp),
        _ => ty.clone(),
    };
    quote_spanned!(g.r.span()=>
        |v: ::injectq::__private::ArcType<#built>| -> ::injectq::__private::ArcType<#ty> { v }
    )
}

/// How the container disposes an instance it created: the `#[injectable(dispose)]` flag of the
/// type, or the registration's `dispose` option for a factory.
fn disposer(g: &Reg<'_>, ctx: &TokenStream) -> TokenStream {
    let stored = g.stored();
    let arc_ty = quote!(::injectq::__private::ArcType<#stored>);
    match (&g.r.source, &g.r.dispose) {
        (Source::Factory(_), None) => quote!(|_: &#arc_ty, _: &'static str| ::injectq::__private::Option::None),
        (Source::Factory(_), Some(Dispose::Impl(keyword))) => quote_spanned!(keyword.span()=>
            |v: &#arc_ty, name: &'static str| ::injectq::__private::Option::Some(
                ::injectq::__private::Disposer::of(name, ::core::clone::Clone::clone(v))
            )
        ),
        (Source::Factory(_), Some(Dispose::Hook(_, hook))) => quote_spanned!(hook.span()=>
            |v: &#arc_ty, name: &'static str| {
                let v = ::core::clone::Clone::clone(v);
                ::injectq::__private::Option::Some(::injectq::__private::Disposer::new(name, move || async move {
                    ::injectq::__private::hook_result(#hook(&v).await)
                }))
            }
        ),
        _ => {
            let builder = builder(g, ctx);
            quote_spanned!(g.r.span()=> #builder::disposer)
        }
    }
}

/// The resolution of a singleton (from the root) or scoped service (from the scope): its slot's
/// instance, created once.
fn shared(g: &Reg<'_>, ctx: &TokenStream) -> TokenStream {
    let (building, name, wrap, disposer) = (building(g, ctx), &g.name, wrap_arc(g), disposer(g, ctx));
    let field = &g.field;
    let builder = builder(g, ctx);
    let now = match &g.r.source {
        Source::Factory(_) => quote!(::injectq::__private::never_now()),
        _ => quote_spanned!(g.r.span()=>
            if #builder::NOW {
                ::injectq::__private::Option::Some((|| #builder::now_ready(self), || #builder::build_now(self)))
            } else {
                ::injectq::__private::Option::None
            }
        ),
    };
    quote_spanned!(g.r.span()=>
        ::injectq::__private::once(&self.__state.#field, ::injectq::__private::Creation {
            name: #name,
            bag: &self.__state.bag,
            build: || #building,
            now: #now,
            disposer: #disposer,
            wrap: #wrap,
        })
    )
}

/// The container type a registration is built from: the root for singletons, the scope for
/// everything else.
fn build_context(c: &Container, g: &Reg<'_>) -> TokenStream {
    let ctx = if g.r.lifetime == Lifetime::Singleton { &c.name } else { &c.scope };
    quote!(#ctx)
}

fn root_impls(c: &Container, g: &Reg<'_>) -> TokenStream {
    let (name, ty, field, node) = (&c.name, &g.r.ty, &g.field, g.node);
    let node = quote!(#node);
    if let (true, Some(parent)) = (g.r.inherited, &c.parent) {
        let provided = g.provided();
        let provider = quote!(<#parent as ::injectq::__private::Provide<#provided>>);
        let body = quote!(#provider::provide(&self.__state.parent));
        let now = Now::Delegate(provider, quote!(&self.__state.parent), quote!(|r| r));
        return provide_impl(name, &provided, &node, &body, &now);
    }
    match g.r.lifetime {
        Lifetime::Value => {
            let value = if g.r.token {
                quote!(::injectq::__private::tagged::<#ty>(&self.__state.#field))
            } else {
                quote!(::core::clone::Clone::clone(&self.__state.#field))
            };
            provide_impl(
                name,
                &g.provided(),
                &node,
                &quote!(::injectq::__private::ready(::injectq::__private::Ok(#value))),
                &Now::Always(value),
            )
        }
        Lifetime::Singleton => {
            let once = shared(g, &quote!(#name));
            let (body, from_slot) = if g.r.token {
                let tagged = quote!(|v: &::injectq::__private::ArcType<_>| ::injectq::__private::tagged::<#ty>(v));
                (quote!(::injectq::__private::map_ok(#once, |v| ::injectq::__private::tagged::<#ty>(&v))), tagged)
            } else {
                (once, quote!(::core::clone::Clone::clone))
            };
            provide_impl_at(g.r.span(), name, &g.provided(), &node, &body, &Now::Filled(field.clone(), from_slot))
        }
        Lifetime::Scoped => root_entry(
            name,
            &arc(ty),
            g,
            &quote!(::injectq::__private::ScopedKind),
            &quote!(::core::convert::Infallible),
            &quote!(match inner {}),
        ),
        Lifetime::Transient => transient_root_entries(name, g),
    }
}

/// `RootEntry` impls for a transient: its shapes, each built lazily from the root.
fn transient_root_entries(container: &Ident, g: &Reg<'_>) -> TokenStream {
    let ty = &g.r.ty;
    let arc_new = quote!(::injectq::__private::ArcType::new(inner));
    let box_new = quote!(::injectq::__private::Box::new(inner));
    match &g.r.source {
        Source::Itself | Source::Factory(_) => {
            let kind = match &g.r.source {
                Source::Factory(f) => quote!(::injectq::__private::FactoryKind<#f>),
                _ => quote!(::injectq::__private::TransientKind),
            };
            let inner = quote!(#ty);
            [
                root_entry(container, &quote!(#ty), g, &kind, &inner, &quote!(inner)),
                root_entry(container, &arc(ty), g, &kind, &inner, &arc_new),
                root_entry(container, &quote!(::injectq::__private::Box<#ty>), g, &kind, &inner, &box_new),
            ]
            .into_iter()
            .collect()
        }
        Source::Bind(imp) => {
            let kind = quote!(::injectq::__private::TransientKind);
            let inner = quote!(#imp);
            [
                root_entry(container, &arc(ty), g, &kind, &inner, &arc_new),
                root_entry(container, &quote!(::injectq::__private::Box<#ty>), g, &kind, &inner, &box_new),
            ]
            .into_iter()
            .collect()
        }
        Source::BindAndFactory(..) => unreachable!("rejected in validation"),
    }
}

fn root_entry(
    container: &Ident,
    requested: &TokenStream,
    g: &Reg<'_>,
    kind: &TokenStream,
    inner: &TokenStream,
    wrap: &TokenStream,
) -> TokenStream {
    let (node, name) = (g.node, &g.name);
    quote! {
        #[automatically_derived]
        impl ::injectq::__private::RootEntry<#container> for #requested {
            const NODE: usize = #node;
            const NAME: &'static str = #name;
            type Inner = #inner;
            type Kind = #kind;
            #[allow(unreachable_code)]
            fn wrap(inner: Self::Inner) -> Self {
                #wrap
            }
        }
    }
}

/// The root's one blanket impl: transients are built, scoped services refused, each checked
/// where it is resolved from the root.
fn root_blanket(c: &Container) -> TokenStream {
    let name = &c.name;
    quote! {
        #[automatically_derived]
        impl<__T> ::injectq::__private::Provide<__T> for #name
        where
            __T: ::injectq::__private::RootEntry<#name>,
            <__T as ::injectq::__private::RootEntry<#name>>::Kind: ::injectq::__private::RootStrategy<__T, #name>,
        {
            const NODE: usize = <__T as ::injectq::__private::RootEntry<#name>>::NODE;
            const NOW: bool = <<__T as ::injectq::__private::RootEntry<#name>>::Kind as ::injectq::__private::RootStrategy<__T, #name>>::NOW;
            #[allow(clippy::manual_async_fn)]
            #[inline]
            fn provide(&self) -> impl ::core::future::Future<Output = ::injectq::__private::Result<__T>> + ::core::marker::Send {
                <<__T as ::injectq::__private::RootEntry<#name>>::Kind as ::injectq::__private::RootStrategy<__T, #name>>::build_root(self)
            }
            #[inline]
            fn now_ready(&self) -> bool {
                <<__T as ::injectq::__private::RootEntry<#name>>::Kind as ::injectq::__private::RootStrategy<__T, #name>>::now_ready(self)
            }
            #[inline]
            fn provide_now(&self) -> ::injectq::__private::Option<::injectq::__private::Result<__T>> {
                <<__T as ::injectq::__private::RootEntry<#name>>::Kind as ::injectq::__private::RootStrategy<__T, #name>>::build_now(self)
            }
        }
    }
}

/// `Handle` for both types (what `Lazy`/`Provider` hold weakly), and `Provider<T>` for every `T`
/// each provides.
fn handles(c: &Container) -> TokenStream {
    let (root, scope) = (&c.name, &c.scope);
    let (root_state, scope_state) = state_names(c);
    let (root_str, scope_str) = (root.to_string(), scope.to_string());
    let handle = |ty: &Ident, state: &Ident, name: &str, bags: TokenStream, root_of: TokenStream| {
        quote! {
            #[automatically_derived]
            impl ::injectq::__private::Handle for #ty {
                type State = ::injectq::__private::Checked<#state>;
                const NAME: &'static str = #name;
                fn state(&self) -> &::injectq::__private::ArcType<::injectq::__private::Checked<#state>> {
                    &self.__state
                }
                fn from_state(__state: ::injectq::__private::ArcType<::injectq::__private::Checked<#state>>) -> Self {
                    Self { __state }
                }
                fn ensure_open(&self) -> ::injectq::__private::Result<()> {
                    ::injectq::__private::open(#bags)
                }
                fn bag(&self) -> &::injectq::__private::DisposeBag {
                    &self.__state.bag
                }
            }

            // not a candidate worth listing when a provider is missing
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::injectq::__private::Provide<::injectq::__private::ScopeFactory<#root>> for #ty {
                const NODE: usize = ::injectq::__private::NO_NODE;
                #[allow(clippy::manual_async_fn)]
                fn provide(
                    &self,
                ) -> impl ::core::future::Future<Output = ::injectq::__private::Result<::injectq::__private::ScopeFactory<#root>>>
                       + ::core::marker::Send {
                    ::injectq::__private::ready(::injectq::__private::Ok(::injectq::__private::ScopeFactory::new(#root_of)))
                }
            }

            #[automatically_derived]
            impl<__T: ::core::marker::Send + 'static> ::injectq::__private::Provide<::injectq::__private::Provider<__T>> for #ty
            where
                Self: ::injectq::__private::Provide<__T>,
            {
                const NODE: usize = ::injectq::__private::NO_NODE;
                #[allow(clippy::manual_async_fn)]
                fn provide(
                    &self,
                ) -> impl ::core::future::Future<Output = ::injectq::__private::Result<::injectq::__private::Provider<__T>>>
                       + ::core::marker::Send {
                    ::injectq::__private::ready(::injectq::__private::Ok(::injectq::__private::Provider::new(self)))
                }
            }
        }
    };
    let root_handle = handle(root, &root_state, &root_str, root_bags(), quote!(self));
    let scope_handle = handle(scope, &scope_state, &scope_str, scope_bags(), quote!(&self.__state.root));
    let traits = quote! {
        #[automatically_derived]
        impl ::injectq::__private::Container for #root {
            type Scope = #scope;
            fn create_scope(&self) -> #scope {
                #root::create_scope(self)
            }
            fn dispose(&self) -> impl ::core::future::Future<Output = ::core::result::Result<(), ::injectq::DisposeError>> + ::core::marker::Send + 'static {
                self.__state.bag.dispose()
            }
            fn shutdown(&self, deadline: ::core::time::Duration) -> impl ::core::future::Future<Output = ::core::result::Result<(), ::injectq::DisposeError>> + ::core::marker::Send {
                self.__state.bag.shutdown(deadline)
            }
        }

        #[automatically_derived]
        impl ::injectq::__private::Scope for #scope {
            type Root = #root;
            fn enter<F>(&self, f: F) -> impl ::core::future::Future<Output = F::Output> + ::core::marker::Send + use<F>
            where
                F: ::core::future::Future + ::core::marker::Send,
                F::Output: ::core::marker::Send,
            {
                ::injectq::__private::enter(&self.__state, f)
            }
            fn dispose(&self) -> impl ::core::future::Future<Output = ::core::result::Result<(), ::injectq::DisposeError>> + ::core::marker::Send + 'static {
                self.__state.bag.dispose()
            }
            fn dispose_as(&self, outcome: ::injectq::Outcome) -> impl ::core::future::Future<Output = ::core::result::Result<(), ::injectq::DisposeError>> + ::core::marker::Send + 'static {
                self.__state.bag.dispose_as(outcome)
            }
            fn set_outcome(&self, outcome: ::injectq::Outcome) {
                self.__state.bag.report(outcome);
            }
            fn dispose_in_background(&self, outcome: ::injectq::Outcome) {
                self.__state.bag.dispose_in_background(outcome);
            }
        }
    };
    quote!(#root_handle #scope_handle #traits)
}

/// `Lazy<T>` for a shared registration: rooted at the root for singletons and values, at the
/// scope for scoped services (which the root refuses: a captive dependency).
fn lazy_impls(c: &Container, g: &Reg<'_>) -> TokenStream {
    let (root, scope, ty) = (&c.name, &c.scope, &g.r.ty);
    if g.r.token {
        return TokenStream::new();
    }
    let lazy = quote!(::injectq::__private::Lazy<#ty>);
    let no_node = quote!(::injectq::__private::NO_NODE);
    let new_lazy = quote!(::injectq::__private::ready(::injectq::__private::Ok(::injectq::__private::Lazy::new(self))));
    let now_lazy = Now::Always(quote!(::injectq::__private::Lazy::new(self)));
    match g.r.lifetime {
        Lifetime::Value | Lifetime::Singleton => {
            let from_root = provide_impl(root, &lazy, &no_node, &new_lazy, &now_lazy);
            let delegate = quote!(<#root as ::injectq::__private::Provide<#lazy>>::provide(&self.__state.root));
            let now = Now::Delegate(
                quote!(<#root as ::injectq::__private::Provide<#lazy>>),
                quote!(&self.__state.root),
                quote!(|r| r),
            );
            let from_scope = provide_impl(scope, &lazy, &no_node, &delegate, &now);
            quote!(#from_root #from_scope)
        }
        Lifetime::Scoped => {
            let refused = root_entry(
                root,
                &lazy,
                g,
                &quote!(::injectq::__private::ScopedKind),
                &quote!(::core::convert::Infallible),
                &quote!(match inner {}),
            );
            let from_scope = provide_impl(scope, &lazy, &no_node, &new_lazy, &now_lazy);
            quote!(#refused #from_scope)
        }
        Lifetime::Transient => TokenStream::new(),
    }
}

fn scope_impls(c: &Container, g: &Reg<'_>) -> TokenStream {
    let (root, scope, ty, node) = (&c.name, &c.scope, &g.r.ty, g.node);
    let node_tokens = quote!(#node);
    match g.r.lifetime {
        Lifetime::Value | Lifetime::Singleton => {
            let requested = g.provided();
            let provider = quote!(<#root as ::injectq::__private::Provide<#requested>>);
            provide_impl(
                scope,
                &requested,
                &quote!(#provider::NODE),
                &quote!(#provider::provide(&self.__state.root)),
                &Now::Delegate(provider.clone(), quote!(&self.__state.root), quote!(|r| r)),
            )
        }
        Lifetime::Scoped => {
            let body = shared(g, &quote!(#scope));
            let now = Now::Filled(g.field.clone(), quote!(::core::clone::Clone::clone));
            provide_impl_at(g.r.span(), scope, &arc(ty), &node_tokens, &body, &now)
        }
        Lifetime::Transient => transient_scope_impls(scope, g),
    }
}

fn transient_scope_impls(scope: &Ident, g: &Reg<'_>) -> TokenStream {
    let (ty, name, node) = (&g.r.ty, &g.name, g.node);
    let node = quote!(#node);
    let span = g.r.span();
    let built = building(g, &quote!(Self));
    let built = quote_spanned!(span=> ::injectq::__private::within(#built, #name));
    let arc_ty = arc(ty);
    let box_ty = quote!(::injectq::__private::Box<#ty>);
    // a transient is built by plain calls when every part of it is ready: `resolve()` and
    // `build_now` ask `now_ready` / `provide_now`; `provide` is the async path
    let builder = builder(g, &quote!(Self));
    let within = quote!(|r: ::injectq::__private::Result<_>| r.map_err(|e| e.within(#name)));
    match &g.r.source {
        Source::Bind(imp) => {
            let to_arc = quote_spanned!(span=> ::injectq::__private::map_ok(#built, |v: #imp| -> #arc_ty { ::injectq::__private::ArcType::new(v) }));
            let to_box = quote_spanned!(span=> ::injectq::__private::map_ok(#built, |v: #imp| -> #box_ty { ::injectq::__private::Box::new(v) }));
            let now = |wrap: TokenStream| {
                Now::Build(builder.clone(), quote!(|r: ::injectq::__private::Result<#imp>| (#within)(r).map(#wrap)))
            };
            let now_arc = now(quote!(|v| -> #arc_ty { ::injectq::__private::ArcType::new(v) }));
            let now_box = now(quote!(|v| -> #box_ty { ::injectq::__private::Box::new(v) }));
            [
                provide_impl_at(span, scope, &arc_ty, &node, &to_arc, &now_arc),
                provide_impl_at(span, scope, &box_ty, &node, &to_box, &now_box),
            ]
            .into_iter()
            .collect()
        }
        // `Arc<T>` and `Box<T>` come from the scope's blanket impls over this one (`by_value_shapes`)
        Source::Factory(_) => provide_impl_at(span, scope, &quote!(#ty), &node, &built, &Now::Never),
        _ => provide_impl_at(span, scope, &quote!(#ty), &node, &built, &Now::Build(builder, within)),
    }
}

/// The scope's `Arc<T>` and `Box<T>` for every `T` it provides by value (its transients): two
/// blanket impls instead of two concrete ones per transient, which the compiler would check
/// whether or not they are used. Each goes through the concrete by-value impl, so the graph is
/// still checked here; a missing provider is reported as the shape asked for
/// (`do_not_recommend`).
fn by_value_shapes(scope: &Ident) -> TokenStream {
    let private = quote!(::injectq::__private);
    let by_value = quote!(<Self as #private::Provide<__T>>);
    let shape = |wrapper: TokenStream, new: TokenStream| {
        let requested = quote!(#wrapper<__T>);
        // `NOW`, `now_ready`, `provide_now`: the by-value impl's, wrapped
        let now = Now::Delegate(by_value.clone(), quote!(self), quote!(|r| r.map(#new))).items(&requested);
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl<__T: ::core::marker::Send + ::core::marker::Sync + 'static> #private::Provide<#requested> for #scope
            where
                Self: #private::Provide<__T>,
            {
                const NODE: usize = #by_value::NODE;
                #now
                #[allow(clippy::manual_async_fn)]
                #[inline]
                fn provide(&self) -> impl ::core::future::Future<Output = #private::Result<#requested>> + ::core::marker::Send {
                    #private::map_ok(#by_value::provide(self), #new)
                }
            }
        }
    };
    let arc = shape(quote!(#private::ArcType), quote!(#private::ArcType::new));
    let boxed = shape(quote!(#private::Box), quote!(#private::Box::new));
    quote!(#arc #boxed)
}

fn graph_check(c: &Container, regs: &[Reg<'_>], collections: &[super::expand_multi::Collection<'_>]) -> TokenStream {
    let nodes = regs.iter().map(|g| {
        let name = &g.name;
        let lifetime = match g.r.lifetime {
            Lifetime::Value => quote!(Value),
            Lifetime::Singleton => quote!(Singleton),
            Lifetime::Scoped => quote!(Scoped),
            Lifetime::Transient => quote!(Transient),
        };
        let deps = deps(g, &build_context(c, g));
        quote! {
            ::injectq::__private::Node {
                name: #name,
                lifetime: ::injectq::__private::Lifetime::#lifetime,
                deps: #deps,
            }
        }
    });
    let owned = regs.iter().filter(|g| g.r.lifetime == Lifetime::Transient).filter_map(|g| {
        if matches!(g.r.source, Source::Factory(_)) {
            return None;
        }
        let builder = builder(g, &build_context(c, g));
        let message = format!(
            "transient `{}` is `#[injectable(dispose)]`, but a transient is handed over to whoever asked and the container cannot dispose it: register it as `scoped` or `singleton`",
            g.name
        );
        Some(quote_spanned!(g.r.span()=> const _: () = ::core::assert!(!#builder::DISPOSABLE, #message);))
    });
    let collection_nodes = collections.iter().map(|col| super::expand_multi::node(c, col));
    let name = &c.name;
    let count = regs.len() + collections.len();
    let table = format_ident!("__INJECTQ_GRAPH_{}", name);
    let name_str = name.to_string();
    let vis = &c.vis;
    quote_spanned! {name.span()=>
        #(#owned)*
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const #table: [::injectq::__private::Node; #count] = [#(#nodes,)* #(#collection_nodes),*];

        #[allow(dead_code)]
        impl #name {
            /// The container's dependency graph: its registrations, their lifetimes and what each
            /// needs, to print as Mermaid (`to_mermaid()`) or DOT (`to_dot()`).
            #[must_use]
            #vis fn graph() -> ::injectq::Graph {
                ::injectq::__private::Graph::new(#name_str, &#table)
            }
        }

        const _: () = {
            let report = ::injectq::__private::check_graph(&#table);
            if let ::core::option::Option::Some(message) = report.message() {
                ::core::panic!("{}", message);
            }
        };
    }
}
