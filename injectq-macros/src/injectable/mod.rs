//! `#[injectable]`: writes `impl<C> Recipe<C> for Struct`, resolving every field from `C`.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use quote::ToTokens;

use crate::errors::{Code, with_code, with_item};

pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = match parse::parse(args, item) {
        Ok(parsed) => parsed,
        Err((cleaned, error)) => return refused(cleaned, &with_code(error, Code::InjectableUsage)),
    };
    if let Err(error) = validate::validate(&parsed) {
        return refused(parsed.item.to_token_stream(), &with_code(error, Code::InjectableUsage));
    }
    expand::expand(&parsed)
}

/// The user's item and the errors, and, when the item is a struct, a recipe that is never run (the
/// crate does not compile): a container that registers the struct then reports nothing more, so
/// the mistake gives one error, here.
fn refused(item: TokenStream, error: &syn::Error) -> TokenStream {
    let mut out = with_item(&item, error);
    if let Ok(s) = syn::parse2::<syn::ItemStruct>(item)
        && s.generics.params.iter().all(|p| matches!(p, syn::GenericParam::Lifetime(_)))
    {
        let name = &s.ident;
        // a borrowing struct is registered with `'static` lifetimes, if at all
        let lifetimes = s.generics.params.iter().map(|_| quote::quote!('static));
        let lifetimes: Vec<_> = lifetimes.collect();
        out.extend(quote::quote! {
            #[automatically_derived]
            impl ::injectq::__private::Produces for #name<#(#lifetimes),*> {
                type Output = Self;
            }
            #[automatically_derived]
            impl ::injectq::__private::Injectable for #name<#(#lifetimes),*> {
                type Recipe = Self;
            }
            #[automatically_derived]
            impl<C> ::injectq::__private::Recipe<C> for #name<#(#lifetimes),*> {
                const DEPS: &'static [usize] = &[];
                fn build(_: &C) -> impl ::core::future::Future<Output = ::injectq::__private::Result<Self>> + ::core::marker::Send {
                    ::core::future::pending()
                }
            }
        });
    }
    out
}
