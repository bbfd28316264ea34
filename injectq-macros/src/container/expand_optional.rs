//! Optional dependencies: `Option<T>` is `Some` for everything the container provides (and the
//! error of a failed resolution, never a silent `None`), `None` for what it declares `absent`.
//! A type both registered and declared absent gets two impls: E0119.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::expand::Now;
use super::parse::{Absent, Container};

pub(super) fn expand(c: &Container) -> TokenStream {
    let blankets = [&c.name, &c.scope].map(some_blanket);
    let nones = c.absents.iter().map(|a| absent_impls(c, a));
    quote!(#(#blankets)* #(#nones)*)
}

fn some_blanket(ty: &Ident) -> TokenStream {
    let now = Now::Delegate(
        quote!(<Self as ::injectq::__private::Provide<__T>>),
        quote!(self),
        quote!(|r| r.map(::injectq::__private::Option::Some)),
    )
    .items(&quote!(::injectq::__private::Option<__T>));
    quote! {
        #[automatically_derived]
        impl<__T: ::core::marker::Send> ::injectq::__private::Provide<::injectq::__private::Option<__T>> for #ty
        where
            Self: ::injectq::__private::Provide<__T>,
        {
            const NODE: usize = <Self as ::injectq::__private::Provide<__T>>::NODE;
            #[allow(clippy::manual_async_fn)]
            fn provide(
                &self,
            ) -> impl ::core::future::Future<Output = ::injectq::__private::Result<::injectq::__private::Option<__T>>>
                   + ::core::marker::Send {
                ::injectq::__private::some(<Self as ::injectq::__private::Provide<__T>>::provide(self))
            }
            #now
        }
    }
}

/// `None` for every shape the absent dependency could be asked for.
fn absent_impls(c: &Container, a: &Absent) -> TokenStream {
    let ty = &a.ty;
    let shapes: Vec<TokenStream> = if a.token {
        vec![quote!(::injectq::__private::Tagged<#ty>)]
    } else if matches!(ty, syn::Type::TraitObject(_)) {
        vec![quote!(::injectq::__private::ArcType<#ty>), quote!(::injectq::__private::Box<#ty>)]
    } else {
        vec![quote!(#ty), quote!(::injectq::__private::ArcType<#ty>), quote!(::injectq::__private::Box<#ty>)]
    };
    let mut out = TokenStream::new();
    for shape in &shapes {
        let now = Now::Always(quote!(::injectq::__private::Option::None))
            .items(&quote!(::injectq::__private::Option<#shape>));
        for container in [&c.name, &c.scope] {
            let span = a.keyword.span();
            out.extend(quote::quote_spanned! {span=>
                #[automatically_derived]
                impl ::injectq::__private::Provide<::injectq::__private::Option<#shape>> for #container {
                    const NODE: usize = ::injectq::__private::NO_NODE;
                    #[allow(clippy::manual_async_fn)]
                    fn provide(
                        &self,
                    ) -> impl ::core::future::Future<Output = ::injectq::__private::Result<::injectq::__private::Option<#shape>>>
                           + ::core::marker::Send {
                        ::injectq::__private::ready(::injectq::__private::Ok(::injectq::__private::Option::None))
                    }
                    #now
                }
            });
        }
    }
    out
}
