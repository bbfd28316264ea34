//! The root (`App`) and its scope (`AppScope`): cheap handles (`Clone` shares them) to their
//! states. A state holds a slot per singleton (or scoped service) and the values; it is `Send +
//! Sync` through `Checked`, proven once here by its `ThreadSafe` impl rather than field by field
//! in every function that uses the container.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::parse::{Container, Lifetime};
use super::{Reg, state_names};

pub(super) fn expand(c: &Container, regs: &[Reg<'_>]) -> TokenStream {
    let (vis, attrs, name, scope) = (&c.vis, &c.attrs, &c.name, &c.scope);
    let (name_str, scope_str) = (name.to_string(), scope.to_string());
    let (root_state, scope_state) = state_names(c);
    let parent_field = c.parent.as_ref().map(|p| quote!(parent: #p,));
    let root_fields = regs.iter().filter(|g| !g.r.inherited && !g.is_alias()).filter_map(|g| {
        let (field, ty) = (&g.field, &g.r.ty);
        let stored = g.stored();
        match g.r.lifetime {
            // the token itself, which carries its value: the state names no `Token` bound
            Lifetime::Value if g.r.token => Some(quote!(#field: #ty,)),
            Lifetime::Value => Some(quote!(#field: ::injectq::__private::ArcType<#ty>,)),
            Lifetime::Singleton => Some(quote!(#field: ::injectq::__private::Slot<#stored>,)),
            _ => None,
        }
    });
    let scope_fields = regs.iter().filter(|g| !g.is_alias()).filter_map(|g| {
        let (field, ty) = (&g.field, &g.r.ty);
        match g.r.lifetime {
            Lifetime::Scoped => Some(quote!(#field: ::injectq::__private::Slot<#ty>,)),
            Lifetime::Input => Some(quote!(#field: ::injectq::__private::ArcType<#ty>,)),
            _ => None,
        }
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
        #[doc(hidden)]
        impl ::injectq::__private::ThreadSafe for #root_state {}

        #[automatically_derived]
        #[doc(hidden)]
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
