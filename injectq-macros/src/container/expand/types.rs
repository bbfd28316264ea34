//! The root (`App`) and its scope (`AppScope`): cheap handles (`Clone` shares them) to their
//! states. A state holds a slot per singleton (or scoped service) and the values; it is `Send +
//! Sync` through `Checked`, proven once here by its `ThreadSafe` impl rather than field by field
//! in every function that uses the container.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::parse::{Container, Lifetime};
use super::{Reg, state_names};

pub(super) fn expand(c: &Container, regs: &[Reg<'_>]) -> TokenStream {
    let (vis, attrs, name) = (&c.vis, &c.attrs, &c.name);
    let name_str = name.to_string();
    let (root_state, _) = state_names(c);
    let parent_field = c.parent.as_ref().map(|p| quote!(parent: #p,));
    let root_fields = regs.iter().filter(|g| !g.r.inherited && !g.is_alias()).filter_map(|g| {
        let (field, ty) = (&g.field, &g.r.ty);
        let stored = g.stored();
        match g.r.lifetime {
            // the token itself, which carries its value: the state names no `Token` bound
            Lifetime::Value if g.r.token => Some(quote!(#field: #ty,)),
            Lifetime::Value => Some(quote!(#field: ::injectq::__private::ArcType<#ty>,)),
            Lifetime::Singleton if g.r.generics.is_some() => Some(quote!(#field: ::injectq::__private::TypeSlots,)),
            Lifetime::Singleton => Some(quote!(#field: ::injectq::__private::Slot<#stored>,)),
            _ => None,
        }
    });
    let scopes = super::kinds(c).into_iter().map(|kind| scope(c, regs, &kind));
    quote! {
        #(#attrs)*
        #vis struct #name {
            __state: ::injectq::__private::ArcType<::injectq::__private::Checked<#root_state>>,
        }

        #[doc(hidden)]
        #[allow(dead_code)]
        #vis struct #root_state {
            bag: ::injectq::__private::DisposeBag,
            phases: ::injectq::__private::Phases,
            #parent_field
            #(#root_fields)*
        }

        // proves the root's state `Send + Sync` here, once: elsewhere `Checked` stands for it
        #[automatically_derived]
        #[doc(hidden)]
        impl ::injectq::__private::ThreadSafe for #root_state {}

        impl ::core::clone::Clone for #name {
            /// Another handle to the same container: singletons are shared.
            fn clone(&self) -> Self {
                Self { __state: ::core::clone::Clone::clone(&self.__state) }
            }
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name_str).field("bag", &self.__state.bag).finish_non_exhaustive()
            }
        }

        #(#scopes)*
    }
}

/// A kind of scope: its handle and its state, which holds a slot per `scoped` service of the
/// kind and its `input`s.
fn scope(c: &Container, regs: &[Reg<'_>], kind: &super::KindOut<'_>) -> TokenStream {
    let (vis, name, scope, scope_state, attrs) = (&c.vis, &c.name, kind.name, &kind.state, kind.attrs);
    let scope_str = scope.to_string();
    let scope_fields = regs.iter().filter(|g| !g.is_alias() && super::kind_of(c, g.r) == scope).filter_map(|g| {
        let (field, ty) = (&g.field, &g.r.ty);
        match g.r.lifetime {
            Lifetime::Scoped if g.r.generics.is_some() => Some(quote!(#field: ::injectq::__private::TypeSlots,)),
            Lifetime::Scoped => Some(quote!(#field: ::injectq::__private::Slot<#ty>,)),
            Lifetime::Input => Some(quote!(#field: ::injectq::__private::ArcType<#ty>,)),
            _ => None,
        }
    });
    // a nested kind keeps its outer scope, whose services it reaches through it
    let parent_field = kind.parent.map(|outer| quote!(parent: #outer,));
    let opened_by = match (kind.own, kind.parent) {
        (true, _) => format!("[`{name}::create_scope`]"),
        (false, None) => format!("[`{name}::create_{}`]", crate::names::snake_case(&scope_str)),
        (false, Some(outer)) => format!(
            "[`{outer}::create_{}`], inside a scope of `{outer}`, which it reaches the services of and is disposed before",
            crate::names::snake_case(&scope_str)
        ),
    };
    let scope_doc = format!(
        "A scope of [`{name}`]: one instance of each `scoped` service of `{scope_str}`, created on first use and shared within the scope. Open one with {opened_by}."
    );
    quote! {
        #(#attrs)*
        #[doc = #scope_doc]
        #[allow(dead_code)] // a program may never open a scope
        #vis struct #scope {
            __state: ::injectq::__private::ArcType<::injectq::__private::Checked<#scope_state>>,
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl ::injectq::__private::ThreadSafe for #scope_state {}

        #[doc(hidden)]
        #[allow(dead_code)]
        #vis struct #scope_state {
            root: #name,
            #parent_field
            bag: ::injectq::__private::DisposeBag,
            #(#scope_fields)*
        }

        impl ::core::clone::Clone for #scope {
            /// Another handle to the same scope: scoped services are shared.
            fn clone(&self) -> Self {
                Self { __state: ::core::clone::Clone::clone(&self.__state) }
            }
        }

        impl ::core::fmt::Debug for #scope {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#scope_str).field("bag", &self.__state.bag).finish_non_exhaustive()
            }
        }
    }
}
