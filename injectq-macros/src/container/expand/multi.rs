//! Multibindings: `singleton dyn Plugin += Auth;` registers `Auth` as usual and makes it a
//! member of the `Vec<Arc<dyn Plugin>>` collection, in registration order. The collection is a
//! transient registration of its own, built by a hidden struct whose `Injectable` impl is written
//! here, so it is checked like any transient: from a scope where the container is declared, from
//! the root where it is needed (scoped members are captive there).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Type;

use super::super::parse::{Container, Registration};
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
                    builder: builder_name(c, trait_ty, index),
                });
            }
        }
    }
    out
}

/// The hidden struct that builds a collection, named to be read in rustc's notes:
/// `AppPluginCollection` for `dyn Plugin` in `App` (the index added when two traits share a name).
fn builder_name(c: &Container, trait_ty: &Type, index: usize) -> Ident {
    let name = last_name(trait_ty);
    let shared = c
        .registrations
        .iter()
        .filter_map(|r| r.member_of.as_ref())
        .any(|other| display(other) != display(trait_ty) && last_name(other) == name);
    match name {
        Some(name) if !shared => format_ident!("{}{}Collection", c.name, name),
        Some(name) => format_ident!("{}{}Collection{}", c.name, name, index),
        None => format_ident!("{}Collection{}", c.name, index),
    }
}

/// The last segment of a trait object's first trait.
fn last_name(ty: &Type) -> Option<String> {
    let Type::TraitObject(t) = ty else { return None };
    t.bounds.iter().find_map(|b| match b {
        syn::TypeParamBound::Trait(t) => t.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    })
}

pub(super) fn expand(c: &Container, col: &Collection<'_>) -> TokenStream {
    let (vis, root, scope, builder, trait_ty, name, node) =
        (&c.vis, &c.name, &c.scope, &col.builder, col.trait_ty, &col.name, col.node);
    let span = col.members[0].span();
    let private = quote_spanned!(span=> ::injectq::__private);
    let members: Vec<_> = col.members.iter().map(|m| &m.ty).collect();
    let count = members.len();
    let vec_ty = quote!(::std::vec::Vec<#private::ArcType<#trait_ty>>);
    let c = crate::names::container_param(&quote!(#trait_ty #(#members)*));
    let doc = format!("The `{name}` collection of [`{root}`], in registration order (written by `container!`).");
    quote_spanned! {span=>
        #[doc = #doc]
        #[doc(hidden)]
        #vis struct #builder(#vec_ty);

        #[automatically_derived]
        impl #private::Produces for #builder {
            type Output = Self;
        }

        #[automatically_derived]
        impl<#c: #private::Sync> #private::Recipe<#c> for #builder
        where
            #(#c: #private::Provide<#private::ArcType<#members>>,)*
        {
            const DEPS: &'static [usize] = &[#(<#c as #private::Provide<#private::ArcType<#members>>>::NODE),*];

            #[allow(clippy::manual_async_fn)]
            fn build(__c: &#c) -> impl ::core::future::Future<Output = #private::Result<Self>> + ::core::marker::Send {
                async move {
                    let mut all: #vec_ty = ::std::vec::Vec::with_capacity(#count);
                    #(
                        let member: #private::ArcType<#members> =
                            <#c as #private::Provide<#private::ArcType<#members>>>::provide(__c).await?;
                        all.push(member);
                    )*
                    #private::Ok(Self(all))
                }
            }
        }

        // a collection is resolved by awaiting each member: `get` refuses it, naming it
        #[automatically_derived]
        #[doc(hidden)]
        impl<#c> #private::RecipeNow<#c> for #builder where #vec_ty: #private::CollectedNow<#c> {}

        // the hidden struct is also how what it builds becomes the collection
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Unwrap<#builder, #vec_ty> for #builder {
            #[inline]
            fn unwrap(built: #builder) -> #vec_ty {
                built.0
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Coerce<#builder, #vec_ty> for #builder {
            #[inline]
            fn arc(built: #builder) -> #private::ArcType<#vec_ty> {
                #private::ArcType::new(built.0)
            }
            #[inline]
            fn boxed(built: #builder) -> #private::Box<#vec_ty> {
                #private::Box::new(built.0)
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Registered<#root> for #vec_ty {
            const NODE: usize = #node;
            const NAME: &'static str = #name;
            type Lifetime = #private::TransientKind<#scope>;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Transient<#scope> for #vec_ty {
            type Builder = #builder;
            type Wrap = #builder;
        }

        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        #[doc(hidden)]
        impl #private::Shape<#root> for #vec_ty {
            type FromRoot = #private::ValueFrom<#scope>;
            type FromScope = #private::InKind<#scope, #private::TransientValue>;
        }
    }
}

/// The collection's node in the graph check, seen from the scope.
pub(super) fn node(c: &Container, col: &Collection<'_>) -> TokenStream {
    let (scope, trait_ty, name) = (&c.scope, col.trait_ty, &col.name);
    let private = quote!(::injectq::__private);
    quote! {
        #private::Node {
            name: #name,
            lifetime: #private::Lifetime::Transient,
            deps: #private::TransientDeps::<#scope, ::std::vec::Vec<#private::ArcType<#trait_ty>>>::DEPS,
        }
    }
}
