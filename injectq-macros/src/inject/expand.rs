//! The rewritten function: `fn(container, ordinary args..) -> injectq::Result<Output>`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{FnArg, ReturnType};

use super::parse::InjectFn;

pub(crate) fn expand(input: &InjectFn) -> TokenStream {
    let item = &input.item;
    let sig = &item.sig;
    let (attrs, vis, block) = (&item.attrs, &item.vis, &item.block);
    let name = &sig.ident;
    let output = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => quote!(#ty),
    };
    let mut outer_params = Vec::new();
    let mut resolves = Vec::new();
    let mut bounds = Vec::new();
    let mut args = Vec::new();
    // free in the function and in its parameters' `#[inject(..)]` options
    let specs = input.injected.iter().flatten();
    let c = crate::names::container_param(&quote!(#item #(#specs)*));
    for (i, (arg, injected)) in sig.inputs.iter().zip(&input.injected).enumerate() {
        let FnArg::Typed(t) = arg else { continue };
        let bind = format_ident!("__arg{}", i);
        let ty = &t.ty;
        match injected {
            Some(spec) => {
                let r = crate::spec::resolution(spec, ty, &bind, &c, &quote!(__container));
                bounds.extend(r.bound);
                resolves.push(r.statement);
            }
            None => {
                let attrs = &t.attrs;
                outer_params.push(quote!(#(#attrs)* #bind: #ty));
            }
        }
        args.push(bind);
    }
    let inner_inputs = sig.inputs.iter();
    let mut inner_generics = sig.generics.clone();
    let inner_where = inner_generics.where_clause.take();
    let mut outer_generics = sig.generics.clone();
    outer_generics.params.insert(0, syn::parse_quote!(#c));
    let outer_where = outer_generics.where_clause.take().map(|w| w.predicates);
    let doc = format!(
        "\n\nWith `#[inject]`: call it as `{name}(&container, ..)` with a container or scope first; the parameters marked `#[inject]` are resolved from it."
    );

    quote! {
        #(#attrs)*
        #[doc = #doc]
        #vis async fn #name #outer_generics (
            __container: &#c,
            #(#outer_params),*
        ) -> ::injectq::__private::Result<#output>
        where
            #c: ::injectq::__private::Sync,
            #(#bounds)*
            #outer_where
        {
            async fn __injectq_body #inner_generics (#(#inner_inputs),*) -> #output #inner_where #block
            #(#resolves)*
            ::injectq::__private::Ok(__injectq_body(#(#args),*).await)
        }
    }
}
