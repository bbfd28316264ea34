//! Multibindings: `singleton dyn Plugin += Auth;` registers `Auth` as usual and makes it a
//! member of the `Vec<Arc<dyn Plugin>>` collection, in registration order; with `, key = K` also
//! the entry `K` of the `HashMap<Key, Arc<dyn Plugin>>` map. A collection (or a map) is a
//! transient registration of its own, built by a hidden struct whose `Recipe` impl is written
//! here, so it is checked like any transient: from a scope where the container is declared, from
//! the root where it is needed (scoped members are captive there).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::super::parse::{Container, Registration, members_by_trait, type_key};
use crate::names::{display, last_name};

/// One collection: the trait object type and its members, in order.
pub(super) struct Collection<'a> {
    pub(super) node: usize,
    pub(super) name: String,
    pub(super) trait_ty: &'a Type,
    pub(super) members: Vec<&'a Registration>,
    pub(super) builder: Ident,
    /// a map's key type (its members each have a key); `None` for the `Vec`
    pub(super) key: Option<&'a Type>,
}

impl Collection<'_> {
    /// The type it is resolved as: `Vec<Arc<dyn T>>`, or `HashMap<K, Arc<dyn T>>`.
    fn resolved(&self) -> TokenStream {
        let (private, trait_ty) = (quote!(::injectq::__private), self.trait_ty);
        match self.key {
            None => quote!(::std::vec::Vec<#private::ArcType<#trait_ty>>),
            Some(key) => quote!(::std::collections::HashMap<#key, #private::ArcType<#trait_ty>>),
        }
    }
}

/// The collections of `c`, numbered after its registrations (graph ids from `first_node`).
pub(super) fn collections(c: &Container, first_node: usize) -> Vec<Collection<'_>> {
    let mut out: Vec<Collection<'_>> = members_by_trait(&c.registrations)
        .into_iter()
        .enumerate()
        .map(|(index, (trait_ty, members))| Collection {
            node: 0,
            name: format!("Vec<Arc<{}>>", display(trait_ty)),
            trait_ty,
            members,
            builder: builder_name(c, trait_ty, index, "Collection"),
            key: None,
        })
        .collect();
    // a collection whose members have keys is a map too
    let maps: Vec<_> = out
        .iter()
        .enumerate()
        .filter_map(|(index, col)| {
            let key = &col.members[0].key.as_ref()?.ty;
            Some(Collection {
                node: 0,
                name: format!("HashMap<{}, Arc<{}>>", display(key), display(col.trait_ty)),
                trait_ty: col.trait_ty,
                members: col.members.clone(),
                builder: builder_name(c, col.trait_ty, index, "Map"),
                key: Some(key),
            })
        })
        .collect();
    out.extend(maps);
    for (index, col) in out.iter_mut().enumerate() {
        col.node = first_node + index;
    }
    out
}

/// The hidden struct that builds a collection, named to be read in rustc's notes:
/// `AppPluginCollection` (or `AppPluginMap`) for `dyn Plugin` in `App` (the index added when two
/// traits share a name).
fn builder_name(c: &Container, trait_ty: &Type, index: usize, what: &str) -> Ident {
    let name = last_name(trait_ty);
    let shared = c
        .registrations
        .iter()
        .filter_map(|r| r.member_of.as_ref())
        .any(|other| type_key(other) != type_key(trait_ty) && last_name(other) == name);
    match name {
        Some(name) if !shared => format_ident!("{}{}{}", c.name, name, what),
        Some(name) => format_ident!("{}{}{}{}", c.name, name, what, index),
        None => format_ident!("{}{}{}", c.name, what, index),
    }
}

pub(super) fn expand(c: &Container, col: &Collection<'_>) -> TokenStream {
    let (vis, root, scope, builder, trait_ty, name, node) =
        (&c.vis, &c.name, &c.scope, &col.builder, col.trait_ty, &col.name, col.node);
    let span = col.members[0].span();
    let private = quote_spanned!(span=> ::injectq::__private);
    let members: Vec<_> = col.members.iter().map(|m| &m.ty).collect();
    let count = members.len();
    let resolved = col.resolved();
    let arc_trait = quote!(#private::ArcType<#trait_ty>);
    // locals written with one span on both sides (a member may come out of a module's macro)
    let (member, built, all, key) =
        (format_ident!("member"), format_ident!("built"), format_ident!("all"), format_ident!("key"));
    // what the builder holds: the members in order, each with its key for a map
    let (item, entries, unique) = match col.key {
        None => (arc_trait.clone(), members.iter().map(|_| quote!(#member)).collect::<Vec<_>>(), TokenStream::new()),
        Some(key_ty) => {
            let keys: Vec<_> = col.members.iter().filter_map(|m| m.key.as_ref()).collect();
            let entries = keys.iter().map(|k| {
                let value = &k.value;
                quote_spanned!(k.keyword.span()=> (#value, #member))
            });
            // two constants of one value written differently: the second arm is unreachable
            let arms = keys.iter().map(|k| {
                let value = &k.value;
                quote_spanned!(value.span()=> #value => {})
            });
            let unique = quote_spanned! {span=>
                const _: () = {
                    #[deny(unreachable_patterns)]
                    #[allow(dead_code)]
                    fn distinct_keys(#key: #key_ty) {
                        match #key {
                            #(#arms)*
                            #[allow(unreachable_patterns)]
                            _ => {}
                        }
                    }
                };
            };
            (quote!((#key_ty, #arc_trait)), entries.collect(), unique)
        }
    };
    let held = quote!(::std::vec::Vec<#item>);
    let into_resolved = match col.key {
        None => quote!(#built.0),
        Some(_) => quote!(::core::iter::Iterator::collect(::core::iter::IntoIterator::into_iter(#built.0))),
    };
    let c = crate::names::container_param(&quote!(#trait_ty #(#members)*));
    let doc = format!("The `{name}` of [`{root}`], in registration order (written by `container!`).");
    quote_spanned! {span=>
        #[doc = #doc]
        #[doc(hidden)]
        #vis struct #builder(#held);

        #unique

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
                    let mut #all: #held = ::std::vec::Vec::with_capacity(#count);
                    #(
                        let #member: #arc_trait =
                            <#c as #private::Provide<#private::ArcType<#members>>>::provide(__c).await?;
                        #all.push(#entries);
                    )*
                    #private::Ok(Self(#all))
                }
            }
        }

        // a collection is resolved by awaiting each member: `get` refuses it, naming it
        #[automatically_derived]
        #[doc(hidden)]
        impl<#c> #private::RecipeNow<#c> for #builder where #resolved: #private::CollectedNow<#c> {}

        // the hidden struct is also how what it builds becomes the collection
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Unwrap<#builder, #resolved> for #builder {
            #[inline]
            fn unwrap(#built: #builder) -> #resolved {
                #into_resolved
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Coerce<#builder, #resolved> for #builder {
            #[inline]
            fn arc(#built: #builder) -> #private::ArcType<#resolved> {
                #private::ArcType::new(#into_resolved)
            }
            #[inline]
            fn boxed(#built: #builder) -> #private::Box<#resolved> {
                #private::Box::new(#into_resolved)
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Registered<#root> for #resolved {
            const NODE: usize = #node;
            const NAME: &'static str = #name;
            type Lifetime = #private::TransientKind<#scope>;
            type Privacy = #private::Public;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Transient<#scope> for #resolved {
            type Builder = #builder;
            type Wrap = #builder;
        }

        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        #[doc(hidden)]
        impl #private::Shape<#root> for #resolved {
            type FromRoot = #private::ValueFrom<#scope>;
            type FromScope = #private::InKind<#scope, #private::TransientValue>;
            type FromModule = ::injectq::__private::Public;
        }
    }
}

/// The collection's node in the graph check, seen from the scope.
pub(super) fn node(c: &Container, col: &Collection<'_>) -> TokenStream {
    let (scope, name, resolved) = (&c.scope, &col.name, col.resolved());
    let private = quote!(::injectq::__private);
    quote! {
        #private::Node {
            name: #name,
            lifetime: #private::Lifetime::Transient,
            deps: #private::TransientDeps::<#scope, #resolved>::DEPS,
        }
    }
}
