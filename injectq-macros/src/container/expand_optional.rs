//! Optional dependencies: `Option<T>` is `Some` for everything the container provides (and the
//! error of a failed resolution, never a silent `None`), `None` for what it declares `absent`.
//! A type both registered and declared absent gets two impls: E0119.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::parse::{Absent, Container};

pub(super) fn expand(c: &Container) -> TokenStream {
    let blankets = [&c.name, &c.scope].map(some_blanket);
    let nones = c.absents.iter().map(|a| absent_impls(c, a));
    quote!(#(#blankets)* #(#nones)*)
}

fn some_blanket(ty: &Ident) -> TokenStream {
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
            const NOW: bool = <Self as ::injectq::__private::Provide<__T>>::NOW;
            #[inline]
            fn now_ready(&self) -> bool {
                <Self as ::injectq::__private::Provide<__T>>::now_ready(self)
            }
            #[inline]
            fn provide_now(&self) -> ::injectq::__private::Option<::injectq::__private::Result<::injectq::__private::Option<__T>>> {
                <Self as ::injectq::__private::Provide<__T>>::provide_now(self).map(|r| r.map(::injectq::__private::Option::Some))
            }
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
                    const NOW: bool = true;
                    fn now_ready(&self) -> bool {
                        true
                    }
                    fn provide_now(&self) -> ::injectq::__private::Option<::injectq::__private::Result<::injectq::__private::Option<#shape>>> {
                        ::injectq::__private::Option::Some(::injectq::__private::Ok(::injectq::__private::Option::None))
                    }
                }
            });
        }
    }
    out
}
