//! `#[provides(AppServices)]`: one trait that stands for everything the container provides, so
//! that code written once (a router, its handlers' wiring, a worker) serves the production
//! container and a test container that swaps a service for a fake, with one bound:
//! `fn router<C: AppServices>() -> Router<C>`.
//!
//! ```text
//! pub trait AppServices: Container<Scope: AppServicesScope> + Provide<Arc<Pool>> + .. {}
//! pub trait AppServicesScope: Scope + Provide<Arc<Pool>> + Provide<Arc<Conn>> + Provide<Handler> + .. {}
//! impl<C> AppServices for C where C: Container<Scope: AppServicesScope> + Provide<Arc<Pool>> + .. {}
//! impl<S> AppServicesScope for S where S: Scope + Provide<Arc<Pool>> + .. {}
//! ```
//!
//! Every container that provides the same types implements it, checked where it is used.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::parse::{Container, Lifetime};

pub(super) fn expand(c: &Container) -> TokenStream {
    let Some(name) = &c.provides else { return TokenStream::new() };
    let (vis, root) = (&c.vis, &c.name);
    let scope_trait = format_ident!("{}Scope", name);
    let private = quote!(::injectq::__private);
    let arc = |ty: &syn::Type| quote!(::std::sync::Arc<#ty>);
    // the shapes `resolve` gives, from the root and from a scope
    let (mut at_root, mut in_scope) = (Vec::new(), Vec::new());
    // what the declaration registers: not an implementation that a binding registers for itself,
    // which a test container that binds another one does not provide
    for r in c.registrations.iter().filter(|r| !r.implied) {
        let ty = &r.ty;
        let is_dyn = matches!(ty, syn::Type::TraitObject(_));
        match r.lifetime {
            _ if r.token => {
                let tagged = quote!(::injectq::Tagged<#ty>);
                at_root.push(tagged.clone());
                in_scope.push(tagged);
            }
            Lifetime::Singleton | Lifetime::Value => {
                at_root.push(arc(ty));
                in_scope.push(arc(ty));
            }
            Lifetime::Scoped | Lifetime::Input => in_scope.push(arc(ty)),
            Lifetime::Transient => {
                if !is_dyn {
                    in_scope.push(quote!(#ty));
                }
                in_scope.push(arc(ty));
                in_scope.push(quote!(::std::boxed::Box<#ty>));
            }
        }
    }
    let doc = format!(
        "Everything [`{root}`] provides, as one bound: `{root}` implements it, and so does every container that provides the same types (a test container that swaps a service for a fake). Code written once against `C: {name}` serves them all. Its scope provides everything that [`{scope_trait}`] lists. Written by `container!` for `#[provides({name})]`."
    );
    let scope_doc = format!(
        "Everything a scope of [`{root}`] provides (the shapes `resolve` gives): the scope of every container that implements [`{name}`]."
    );
    // the same inputs: a scope of either is opened the same way
    let (inputs, _) = super::inputs_tuple(c);
    let message = format!("`{{Self}}` does not provide everything `{root}` provides");
    let label = format!("not a container like `{root}`");
    quote! {
        #[doc = #doc]
        #[diagnostic::on_unimplemented(
            message = #message,
            label = #label,
            note = "the errors below name what is missing; register it in the container"
        )]
        #vis trait #name: ::injectq::Container<Scope: #scope_trait, Inputs = #inputs> #(+ #private::Provide<#at_root>)* {}

        #[doc = #scope_doc]
        #vis trait #scope_trait: ::injectq::Scope #(+ #private::Provide<#in_scope>)* {}

        #[automatically_derived]
        impl<__C> #name for __C where __C: ::injectq::Container<Scope: #scope_trait, Inputs = #inputs> #(+ #private::Provide<#at_root>)* {}

        #[automatically_derived]
        impl<__S> #scope_trait for __S where __S: ::injectq::Scope #(+ #private::Provide<#in_scope>)* {}
    }
}
