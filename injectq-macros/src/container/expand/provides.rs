//! `#[provides(AppServices)]`: one trait that stands for everything the container provides, so
//! that code written once (a router, its handlers' wiring, a worker) serves the production
//! container and a test container that swaps a service for a fake, with one bound:
//! `fn router<C: AppServices>() -> Router<C>`.
//!
//! ```text
//! pub trait AppServices: Container<Scope: AppServicesScope> + Provide<Arc<Pool>> + .. + GetNow<Arc<Pool>> + .. {}
//! pub trait AppServicesScope: Scope + Provide<Arc<Pool>> + Provide<Arc<Conn>> + Provide<Handler> + ..
//!     + GetNow<Arc<Pool>> + GetNow<Arc<Conn>> + .. {}
//! impl<C> AppServices for C where C: Container<Scope: AppServicesScope> + Provide<Arc<Pool>> + .. {}
//! impl<S> AppServicesScope for S where S: Scope + Provide<Arc<Pool>> + .. {}
//! ```
//!
//! Every container that provides the same types implements it, checked where it is used. What is
//! shared (a singleton, a scoped service, a value, an input, a token) is `GetNow` as well, so that
//! generic code can `get` it; a transient is not (a fake may be built by awaiting where the real
//! one is not).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::parse::{Container, Lifetime, self_named};

pub(super) fn expand(c: &Container) -> TokenStream {
    let Some(name) = &c.provides else { return TokenStream::new() };
    let (vis, root) = (&c.vis, &c.name);
    let scope_trait = format_ident!("{}Scope", name);
    let arc = |ty: &syn::Type| quote!(::std::sync::Arc<#ty>);
    // the shapes `resolve` gives, from the root and from a scope; and those that `get` gives too
    // (what is shared: read from where it is kept, never built by awaiting)
    let (mut at_root, mut in_scope) = (Vec::new(), Vec::new());
    let (mut now_at_root, mut now_in_scope) = (Vec::new(), Vec::new());
    // what the declaration registers: not an implementation that a binding registers for itself,
    // which a test container that binds another one does not provide
    // (its own kind of scope's: a `scope` kind's services are that kind's, which the trait does
    // not stand for)
    // (nor a generic registration's: it stands for every type that fits, which a bound cannot list)
    for r in
        c.registrations.iter().filter(|r| !r.implied && r.kind.is_none() && r.generics.is_none() && r.private.is_none())
    {
        // `Worker<Self>` stays so: each container that implements the trait provides its own
        let ty = r.written.as_ref().unwrap_or(&r.ty);
        let is_dyn = matches!(ty, syn::Type::TraitObject(_));
        match r.lifetime {
            _ if r.token => {
                let tagged = quote!(::injectq::Tagged<#ty>);
                for list in [&mut at_root, &mut in_scope, &mut now_at_root, &mut now_in_scope] {
                    list.push(tagged.clone());
                }
            }
            Lifetime::Singleton | Lifetime::Value => {
                for list in [&mut at_root, &mut in_scope, &mut now_at_root, &mut now_in_scope] {
                    list.push(arc(ty));
                }
            }
            Lifetime::Scoped | Lifetime::Input => {
                in_scope.push(arc(ty));
                now_in_scope.push(arc(ty));
            }
            Lifetime::Transient => {
                if !is_dyn {
                    in_scope.push(quote!(#ty));
                }
                in_scope.push(arc(ty));
                in_scope.push(quote!(::std::boxed::Box<#ty>));
            }
        }
    }
    // the collections and maps of the container's own scope, as a scope resolves them
    let own_scope = c.registrations.iter().filter(|r| r.kind.is_none());
    for (trait_ty, members) in super::super::parse::members_by_trait(own_scope) {
        in_scope.push(quote!(::std::vec::Vec<::std::sync::Arc<#trait_ty>>));
        if let Some(k) = &members[0].key {
            let key_ty = &k.ty;
            in_scope.push(quote!(::std::collections::HashMap<#key_ty, ::std::sync::Arc<#trait_ty>>));
        }
    }
    let doc = format!(
        "Everything [`{root}`] provides, as one bound: `{root}` implements it, and so does every container that provides the same types (a test container that swaps a service for a fake). Code written once against `C: {name}` serves them all. Its scope provides everything that [`{scope_trait}`] lists. Written by `container!` for `#[provides({name})]`."
    );
    let scope_doc = format!(
        "Everything a scope of [`{root}`] provides (the shapes `resolve` gives): the scope of every container that implements [`{name}`]."
    );
    // the same inputs: a scope of either is opened the same way
    let (inputs, _) = super::inputs_tuple(c, &c.scope);
    // `Self` is the container. A shape that names it (`Arc<Worker<Self>>`) is asked of the scope in
    // the root trait's bound on its scope, where `Self` is what implements the trait (in the scope
    // trait it would have to be `<Self as Scope>::Root: AppServices`, which is a cycle)
    let (own_in_scope, in_scope): (Vec<_>, Vec<_>) = in_scope.into_iter().partition(names_self);
    let (own_now_in_scope, now_in_scope): (Vec<_>, Vec<_>) = now_in_scope.into_iter().partition(names_self);
    let named = |list: &[TokenStream]| -> Vec<TokenStream> {
        list.iter().map(|shape| self_named(shape.clone(), &quote!(__C))).collect()
    };
    let (impl_at_root, impl_now_at_root) = (named(&at_root), named(&now_at_root));
    let (impl_own_in_scope, impl_own_now_in_scope) = (named(&own_in_scope), named(&own_now_in_scope));
    let message = format!("`{{Self}}` does not provide everything `{root}` provides");
    let label = format!("not a container like `{root}`");
    quote! {
        #[doc = #doc]
        #[diagnostic::on_unimplemented(
            message = #message,
            label = #label,
            note = "the errors below name what is missing; register it in the container"
        )]
        #vis trait #name:
            ::injectq::Container<
                Scope: #scope_trait #(+ ::injectq::Provide<#own_in_scope>)* #(+ ::injectq::GetNow<#own_now_in_scope>)*,
                Inputs = #inputs,
            >
            #(+ ::injectq::Provide<#at_root>)* #(+ ::injectq::GetNow<#now_at_root>)*
        {}

        #[doc = #scope_doc]
        #vis trait #scope_trait: ::injectq::Scope #(+ ::injectq::Provide<#in_scope>)* #(+ ::injectq::GetNow<#now_in_scope>)* {}

        #[automatically_derived]
        impl<__C> #name for __C
        where
            __C: ::injectq::Container<
                Scope: #scope_trait #(+ ::injectq::Provide<#impl_own_in_scope>)* #(+ ::injectq::GetNow<#impl_own_now_in_scope>)*,
                Inputs = #inputs,
            >
            #(+ ::injectq::Provide<#impl_at_root>)* #(+ ::injectq::GetNow<#impl_now_at_root>)*
        {}

        #[automatically_derived]
        impl<__S> #scope_trait for __S where __S: ::injectq::Scope #(+ ::injectq::Provide<#in_scope>)* #(+ ::injectq::GetNow<#now_in_scope>)* {}
    }
}

/// Does the shape name the container as `Self`?
fn names_self(shape: &TokenStream) -> bool {
    shape.clone().into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => i == "Self",
        proc_macro2::TokenTree::Group(g) => names_self(&g.stream()),
        _ => false,
    })
}
