//! Multibindings: `singleton dyn Plugin += Auth;` registers `Auth` as usual and makes it a
//! member of the `Vec<Arc<dyn Plugin>>` collection, in registration order. The collection is
//! built by a hidden struct whose `Injectable` impl is written here, so it is checked like any
//! service: from a scope eagerly, from the root where it is needed (scoped members are captive).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Type;

use super::parse::{Container, Registration};
use crate::names::display;

/// One collection: the trait object type and its members, in order.
pub(super) struct Collection<'a> {
    pub(super) node: usize,
    pub(super) name: String,
    pub(super) trait_ty: &'a Type,
    pub(super) members: Vec<&'a Registration>,
    pub(super) builder: Ident,
}

/// The collections of `c`, numbered after its registrations (graph ids from `first_node`).
pub(super) fn collections(c: &Container, first_node: usize) -> Vec<Collection<'_>> {
    let mut out: Vec<Collection<'_>> = Vec::new();
    for r in &c.registrations {
        let Some(trait_ty) = &r.member_of else { continue };
        let key = display(trait_ty);
        match out.iter_mut().find(|col| display(col.trait_ty) == key) {
            Some(col) => col.members.push(r),
            None => {
                let index = out.len();
                out.push(Collection {
                    node: first_node + index,
                    name: format!("Vec<Arc<{key}>>"),
                    trait_ty,
                    members: vec![r],
                    builder: format_ident!("__{}All{}", c.name, index),
                });
            }
        }
    }
    out
}

pub(super) fn expand(c: &Container, col: &Collection<'_>) -> TokenStream {
    let (vis, root, scope, builder, trait_ty, name, node) =
        (&c.vis, &c.name, &c.scope, &col.builder, col.trait_ty, &col.name, col.node);
    let members: Vec<_> = col.members.iter().map(|m| &m.ty).collect();
    let count = members.len();
    let span = col.members[0].span();
    let vec_ty = quote!(::std::vec::Vec<::injectq::__private::ArcType<#trait_ty>>);
    let doc = format!("The `{name}` collection of [`{root}`], in registration order (written by `container!`).");
    let from_scope = quote_spanned! {span=>
        ::injectq::__private::map_ok(
            ::injectq::__private::within(<#builder as ::injectq::__private::Injectable<Self>>::build(self), #name),
            |all: #builder| all.0,
        )
    };
    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        #vis struct #builder(#vec_ty);

        #[automatically_derived]
        impl<__C: ::injectq::__private::Sync> ::injectq::__private::Injectable<__C> for #builder
        where
            #(__C: ::injectq::__private::Provide<::injectq::__private::ArcType<#members>>,)*
        {
            const DEPS: &'static [usize] = &[#(<__C as ::injectq::__private::Provide<::injectq::__private::ArcType<#members>>>::NODE),*];

            #[allow(clippy::manual_async_fn)]
            fn build(__c: &__C) -> impl ::core::future::Future<Output = ::injectq::__private::Result<Self>> + ::core::marker::Send {
                async move {
                    let mut all: #vec_ty = ::std::vec::Vec::with_capacity(#count);
                    #(
                        let member: ::injectq::__private::ArcType<#members> =
                            <__C as ::injectq::__private::Provide<::injectq::__private::ArcType<#members>>>::provide(__c).await?;
                        all.push(member);
                    )*
                    ::injectq::__private::Ok(Self(all))
                }
            }
        }

        #[automatically_derived]
        impl ::injectq::__private::Provide<#vec_ty> for #scope {
            const NODE: usize = #node;
            #[allow(clippy::manual_async_fn)]
            fn provide(&self) -> impl ::core::future::Future<Output = ::injectq::__private::Result<#vec_ty>> + ::core::marker::Send {
                #from_scope
            }
        }

        #[automatically_derived]
        impl ::injectq::__private::RootEntry<#root> for #vec_ty {
            const NODE: usize = #node;
            const NAME: &'static str = #name;
            type Inner = #builder;
            type Kind = ::injectq::__private::TransientKind;
            fn wrap(inner: Self::Inner) -> Self {
                inner.0
            }
        }
    }
}

/// The collection's node in the graph check, seen from the scope.
pub(super) fn node(c: &Container, col: &Collection<'_>) -> TokenStream {
    let (scope, builder, name) = (&c.scope, &col.builder, &col.name);
    quote! {
        ::injectq::__private::Node {
            name: #name,
            lifetime: ::injectq::__private::Lifetime::Transient,
            deps: <#builder as ::injectq::__private::Injectable<#scope>>::DEPS,
        }
    }
}
