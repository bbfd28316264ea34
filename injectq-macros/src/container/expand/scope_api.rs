//! The scope's inherent methods: `resolve`, its lifecycle (`dispose`, `dispose_as`,
//! `set_outcome`, `on_dispose`), `root`, and the current scope of a task (`enter`, `current`,
//! `resolve_current`, `resolve_current_or`).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::parse::Container;
use super::root_api::{lifecycle_methods, resolve_method};

pub(super) fn expand(c: &Container) -> TokenStream {
    let kinds = super::kinds(c);
    let scopes = kinds.iter().map(|kind| one(c, kind, &kinds));
    quote!(#(#scopes)*)
}

/// The methods of one kind of scope.
fn one(c: &Container, kind: &super::KindOut<'_>, kinds: &[super::KindOut<'_>]) -> TokenStream {
    let (vis, name, scope, scope_state) = (&c.vis, &c.name, kind.name, &kind.state);
    let scope_str = scope.to_string();
    // the bags whose closing makes a scope unusable: its own, its outer scopes' and its root's
    let scope_resolve = resolve_method(vis, &kind.bags(kinds));
    let scope_lifecycle = lifecycle_methods(vis, &scope_str, None, false);
    let outer = kind.parent.map(|outer| {
        let doc = format!("The scope of `{outer}` this one was opened in.");
        quote! {
            #[doc = #doc]
            #vis fn outer(&self) -> &#outer {
                &self.__state.parent
            }
        }
    });
    quote! {
        #[allow(dead_code)]
        impl #scope {
            #scope_resolve
            #scope_lifecycle

            /// The container this scope belongs to.
            #vis fn root(&self) -> &#name {
                &self.__state.root
            }

            #outer

            /// Runs `f` with this scope entered as the task's current scope, so that code with no
            /// handle in reach finds it with [`current()`](Self::current). Spawned tasks do not
            /// inherit it: enter it in them too (`tokio::spawn(scope.enter(fut))`; the future
            /// holds its own handle to the scope, so it does not borrow it).
            #vis fn enter<F: ::core::future::Future>(&self, f: F) -> impl ::core::future::Future<Output = F::Output> + use<F> {
                ::injectq::__private::enter(&self.__state, f)
            }

            /// Resolves a `T` from the task's current scope (the one it [`enter`](Self::enter)ed),
            /// for code with no handle in reach; an error of kind `NoCurrentScope` if it entered
            /// none.
            #vis async fn resolve_current<T>() -> ::injectq::__private::Result<T>
            where
                Self: ::injectq::__private::Provide<T>,
                T: ::core::marker::Send,
            {
                Self::current()?.resolve::<T>().await
            }

            /// Resolves a `T` from the task's current scope, as
            /// [`resolve_current`](Self::resolve_current) does, or returns `fallback` if the
            /// container declares it `absent`. A failing resolution is an error, not the fallback.
            #vis async fn resolve_current_or<T>(fallback: T) -> ::injectq::__private::Result<T>
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
