//! How the runtime reaches a container and its scope: one blanket `Provide` impl each, which
//! hands every request to the runtime's strategy for it (see `injectq`'s `registry`); `Handle`
//! (what `Lazy`, `Provider` and `ScopeFactory` hold weakly); `Ctx` and its kin (root, scope,
//! parent); and the public `Container` and `Scope` traits, for integrations.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::parse::Container;
use super::state_names;

pub(super) fn expand(c: &Container) -> TokenStream {
    let root = &c.name;
    let kinds = super::kinds(c);
    let root_provide = provide(root, root, quote!(FromRoot));
    let root_handle = handle(root, &state_names(c).0, quote!([&self.__state.bag]));
    let per_kind = kinds.iter().map(|kind| {
        let scope = kind.name;
        let provide = provide(scope, root, quote!(FromScope));
        let handle = handle(scope, &kind.state, kind.bags(&kinds));
        let scope_traits = scope_traits(c, kind);
        // where each kind's services are for this kind's scopes (see `injectq`'s `levels`)
        let outer = kind.ancestors(&kinds);
        let levels = kinds.iter().map(|home_kind| {
            let home = home_kind.name;
            let is = if home == scope {
                quote!(::injectq::__private::AtHome)
            } else if outer.contains(&home) {
                quote!(::injectq::__private::Outer<#home>)
            } else if home_kind.ancestors(&kinds).contains(&scope) {
                quote!(::injectq::__private::Inner<#home>)
            } else {
                quote!(::injectq::__private::Unrelated<#home>)
            };
            quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl ::injectq::__private::Level<#scope> for #home {
                    type Is = #is;
                }
            }
        });
        quote! {
            #(#levels)*
            #provide
            #handle
            #scope_traits
        }
    });
    let contexts = contexts(c);
    let container = container_trait(c);
    quote! {
        #root_provide
        #root_handle
        #(#per_kind)*
        #contexts
        #container
    }
}

/// `impl<T: Shape<Root>> Provide<T> for #ty`, through the strategy `#side` says; and `GetNow<T>`
/// where that strategy hands out `T` without awaiting.
fn provide(ty: &Ident, root: &Ident, side: TokenStream) -> TokenStream {
    let private = quote!(::injectq::__private);
    let provide = provide_through(ty, root, &side, &quote!(#private::Strategy), true);
    quote! {
        #provide

        #[automatically_derived]
        #[doc(hidden)]
        impl<T> #private::GetNow<T> for #ty
        where
            T: #private::Shape<#root>,
            <T as #private::Shape<#root>>::#side: #private::StrategyNow<T, Self>,
        {
        }
    }
}

/// `impl<T: Shape<Root>> Provide<T> for #ty` through `<T as Shape<Root>>::#side`, a
/// `#strategy_trait<T, Self>`: with what it says about handing out without awaiting (`now`), or
/// always awaiting (a module's context, see `modules`).
pub(super) fn provide_through(
    ty: &Ident,
    root: &Ident,
    side: &TokenStream,
    strategy_trait: &TokenStream,
    now: bool,
) -> TokenStream {
    let private = quote!(::injectq::__private);
    let strategy = quote!(<<T as #private::Shape<#root>>::#side as #strategy_trait<T, Self>>);
    let without_awaiting = if now {
        quote! {
            const NOW: bool = #strategy::NOW;
            const NOW_ALONE: bool = #strategy::NOW_ALONE;

            #[inline]
            fn now_ready(&self) -> bool {
                #strategy::now_ready(self)
            }

            #[inline]
            fn provide_now(&self, failed: &mut #private::Option<#private::Error>) -> #private::Option<T> {
                #strategy::provide_now(self, failed)
            }

            #[inline]
            fn pending(&self, starts: #private::Starts) -> #private::Option<#private::Pending<'_>> {
                #strategy::pending(self, starts)
            }
        }
    } else {
        quote! {
            const NOW: bool = false;
            const NOW_ALONE: bool = false;

            #[inline]
            fn now_ready(&self) -> bool {
                false
            }

            #[inline]
            fn provide_now(&self, _: &mut #private::Option<#private::Error>) -> #private::Option<T> {
                #private::Option::None
            }

            #[inline]
            fn pending(&self, _: #private::Starts) -> #private::Option<#private::Pending<'_>> {
                #private::Option::None
            }
        }
    };
    quote! {
        #[automatically_derived]
        #[doc(hidden)]
        impl<T> #private::Provide<T> for #ty
        where
            T: #private::Shape<#root>,
            <T as #private::Shape<#root>>::#side: #strategy_trait<T, Self>,
        {
            fn sealed(_: #private::Sealed) {}
            const NODE: usize = #strategy::NODE;
            #without_awaiting

            #[inline]
            #[allow(clippy::manual_async_fn)]
            fn provide(&self) -> impl ::core::future::Future<Output = #private::Result<T>> + ::core::marker::Send {
                #strategy::provide(self)
            }
        }
    }
}

/// `Handle`: what `Lazy`, `Provider` and `ScopeFactory` hold weakly (`state`: what `ty` is a
/// handle to); `bags` are the disposal bags whose closing makes `ty` unusable.
pub(super) fn handle(ty: &Ident, state: &Ident, bags: TokenStream) -> TokenStream {
    let name = ty.to_string();
    let checked = quote!(::injectq::__private::Checked<#state>);
    quote! {
        #[automatically_derived]
        #[doc(hidden)]
        impl ::injectq::__private::Handle for #ty {
            type State = #checked;
            const NAME: &'static str = #name;
            fn state(&self) -> &::injectq::__private::ArcType<#checked> {
                &self.__state
            }
            fn from_state(__state: ::injectq::__private::ArcType<#checked>) -> Self {
                Self { __state }
            }
            fn ensure_open(&self) -> ::injectq::__private::Result<()> {
                ::injectq::__private::Bags::open(#bags)
            }
            fn bag(&self) -> &::injectq::__private::DisposeBag {
                &self.__state.bag
            }
        }
    }
}

/// `Ctx` and `RootCtx` for the root, and `ChildCtx` for a child container.
fn contexts(c: &Container) -> TokenStream {
    let (root, scope) = (&c.name, &c.scope);
    let private = quote!(::injectq::__private);
    let child = c.parent.as_ref().map(|parent| {
        quote! {
            #[automatically_derived]
            #[doc(hidden)]
            impl #private::ChildCtx for #root {
                type Parent = #parent;
                #[inline]
                fn parent(&self) -> &#parent {
                    &self.__state.parent
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Ctx for #root {
            type Root = Self;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::RootCtx for #root {
            type Scope = #scope;
        }

        #child
    }
}

/// The public `Container` trait: its scope is the container's own kind.
fn container_trait(c: &Container) -> TokenStream {
    let (root, scope) = (&c.name, &c.scope);
    let disposal = quote!(
        impl ::core::future::Future<Output = ::core::result::Result<(), ::injectq::DisposeError>> + ::core::marker::Send
    );
    let (inputs, _) = super::inputs_tuple(c, &c.scope);
    quote! {
        #[automatically_derived]
        impl ::injectq::__private::Container for #root {
            type Scope = #scope;
            type Inputs = #inputs;
            fn create_scope_with(&self, inputs: Self::Inputs) -> #scope {
                #root::create_scope_with(self, inputs)
            }
            fn resolve<T>(&self) -> impl ::core::future::Future<Output = ::injectq::Result<T>> + ::core::marker::Send
            where
                Self: ::injectq::Provide<T>,
                T: ::core::marker::Send,
            {
                #root::resolve(self)
            }
            fn get<T>(&self) -> ::injectq::Result<T>
            where
                Self: ::injectq::Provide<T> + ::injectq::GetNow<T>,
            {
                #root::get(self)
            }
            fn start(&self) -> impl ::core::future::Future<Output = ::injectq::Result<::injectq::StartReport>> + ::core::marker::Send {
                #root::start(self)
            }
            fn is_ready(&self) -> bool {
                #root::is_ready(self)
            }
            fn health(&self) -> impl ::core::future::Future<Output = ::injectq::HealthReport> + ::core::marker::Send {
                #root::health(self)
            }
            fn phases(&self) -> &::injectq::__private::Phases {
                &self.__state.phases
            }
            fn dispose(&self) -> #disposal + 'static {
                #root::dispose(self)
            }
            fn shutdown(&self, deadline: ::core::time::Duration) -> #disposal {
                #root::shutdown(self, deadline)
            }
        }
    }
}

/// `Ctx`, `ScopeCtx` and the public `Scope` trait for one kind of scope.
fn scope_traits(c: &Container, kind: &super::KindOut<'_>) -> TokenStream {
    let (root, scope) = (&c.name, kind.name);
    let (inputs, _) = super::inputs_tuple(c, scope);
    let create_with = if kind.own {
        quote::format_ident!("create_scope_with")
    } else {
        quote::format_ident!("create_{}_with", crate::names::snake_case(&scope.to_string()))
    };
    // a nested kind is opened from its outer scope, and reaches that kind's services through it
    let opened_from = kind.parent.map_or_else(|| quote!(#root), |outer| quote!(#outer));
    let nested = kind.parent.map(|outer| {
        quote! {
            #[automatically_derived]
            #[doc(hidden)]
            impl ::injectq::__private::NestedCtx for #scope {
                type Parent = #outer;
                #[inline]
                fn parent(&self) -> &#outer {
                    &self.__state.parent
                }
            }
        }
    });
    let private = quote!(::injectq::__private);
    let disposal = quote!(
        impl ::core::future::Future<Output = ::core::result::Result<(), ::injectq::DisposeError>> + ::core::marker::Send
    );
    quote! {
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Ctx for #scope {
            type Root = #root;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::ScopeCtx for #scope {
            #[inline]
            fn root(&self) -> &#root {
                &self.__state.root
            }
        }

        #nested

        #[automatically_derived]
        impl ::injectq::__private::Scope for #scope {
            type Root = #root;
            type Inputs = #inputs;
            type Outer = #opened_from;
            fn open(outer: &#opened_from, inputs: #inputs) -> Self {
                outer.#create_with(inputs)
            }
            fn holders(&self) -> usize {
                ::std::sync::Arc::strong_count(&self.__state)
            }
            fn release(&self) {
                self.__state.bag.release()
            }
            fn resolve<T>(&self) -> impl ::core::future::Future<Output = ::injectq::Result<T>> + ::core::marker::Send
            where
                Self: ::injectq::Provide<T>,
                T: ::core::marker::Send,
            {
                #scope::resolve(self)
            }
            fn get<T>(&self) -> ::injectq::Result<T>
            where
                Self: ::injectq::Provide<T> + ::injectq::GetNow<T>,
            {
                #scope::get(self)
            }
            fn enter<F>(&self, f: F) -> impl ::core::future::Future<Output = F::Output> + ::core::marker::Send + use<F>
            where
                F: ::core::future::Future + ::core::marker::Send,
                F::Output: ::core::marker::Send,
            {
                ::injectq::__private::enter(&self.__state, f)
            }
            fn as_current(&self) -> ::std::sync::Arc<dyn ::core::any::Any + ::core::marker::Send + ::core::marker::Sync> {
                ::std::sync::Arc::clone(&self.__state) as _
            }
            fn dispose(&self) -> #disposal + 'static {
                self.__state.bag.dispose()
            }
            fn dispose_as(&self, outcome: ::injectq::Outcome) -> #disposal + 'static {
                self.__state.bag.dispose_as(outcome)
            }
            fn set_outcome(&self, outcome: ::injectq::Outcome) {
                self.__state.bag.report(outcome);
            }
            fn dispose_in_background(&self, outcome: ::injectq::Outcome) {
                self.__state.bag.dispose_in_background(outcome);
            }
        }
    }
}
