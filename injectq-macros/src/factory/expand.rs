//! The companion type and its `Factory` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::parse::{Factory, Output};

pub(crate) fn expand(input: &Factory) -> TokenStream {
    let item = &input.item;
    let vis = &item.vis;
    let name = &item.sig.ident;
    let name_str = name.to_string();
    let (out_ty, fallible) = match &input.output {
        Output::Value(ty) => (ty, false),
        Output::Fallible(ty) => (ty, true),
        Output::Unsupported(_) => unreachable!("rejected in validation"),
    };
    let bounds = input.args.iter().map(|ty| quote_spanned!(ty.span()=> __C: ::injectq::Provide<#ty>,));
    let deps = input.args.iter().map(|ty| quote!(<__C as ::injectq::Provide<#ty>>::NODE));
    let binds: Vec<_> = (0..input.args.len()).map(|i| format_ident!("__arg{}", i)).collect();
    let resolves = input.args.iter().zip(&binds).map(|(ty, bind)| {
        quote!(let #bind: #ty = <__C as ::injectq::Provide<#ty>>::provide(__c).await?;)
    });
    let await_ = item.sig.asyncness.map(|_| quote!(.await));
    let call = quote!(#name(#(#binds),*) #await_);
    let result = if fallible {
        quote!(::injectq::__private::factory_result(#name_str, #call))
    } else {
        quote!(::injectq::__private::Ok(#call))
    };
    let doc = format!("The factory [`{name}()`]({name}) as a type, for `container!` registrations (written by `#[factory]`).");

    quote! {
        #item

        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        #[automatically_derived]
        impl<__C> ::injectq::Factory<__C> for #name
        where
            __C: ::injectq::__private::Sync,
            #(#bounds)*
        {
            type Output = #out_ty;
            const NAME: &'static str = #name_str;
            const DEPS: &'static [usize] = &[#(#deps),*];

            #[allow(clippy::manual_async_fn)]
            fn call(__c: &__C) -> impl ::core::future::Future<Output = ::injectq::Result<Self::Output>> + ::core::marker::Send {
                async move {
                    #(#resolves)*
                    #result
                }
            }
        }
    }
}
