//! The `Injectable` impl.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::parse::Injectable;

pub(crate) fn expand(input: &Injectable) -> TokenStream {
    let item = &input.item;
    let name = &item.ident;
    let name_str = name.to_string();
    let (_, ty_generics, where_clause) = item.generics.split_for_impl();
    let impl_params = impl_generics_with_container(&item.generics);
    let orig_preds = where_clause.map(|w| &w.predicates);

    let bindings: Vec<_> = (0..input.fields.len()).map(|i| format_ident!("__field{}", i)).collect();
    let c = format_ident!("__C");
    let resolutions: Vec<_> = input
        .fields
        .iter()
        .zip(&bindings)
        .map(|(f, bind)| crate::spec::resolution(&f.spec, &f.ty, bind, &c, &quote!(__c)))
        .collect();
    let bounds = resolutions.iter().filter_map(|r| r.bound.as_ref());
    let deps = resolutions.iter().filter_map(|r| r.node.as_ref());
    let resolves = resolutions.iter().map(|r| &r.statement);
    let construct = match &item.fields {
        syn::Fields::Named(_) => {
            let members = input.fields.iter().map(|f| &f.member);
            quote!(#name { #(#members: #bindings),* })
        }
        syn::Fields::Unnamed(_) => quote!(#name(#(#bindings),*)),
        syn::Fields::Unit => quote!(#name),
    };
    // built by plain calls when every dependency can be provided without awaiting; never with an
    // init hook, which is async
    let now = input.init.is_none().then(|| {
        let providers: Vec<_> = resolutions.iter().filter_map(|r| r.provider.as_ref()).collect();
        let now_resolves = resolutions.iter().map(|r| &r.now_statement);
        quote! {
            const NOW: bool = true;

            #[inline]
            fn now_ready(__c: &__C) -> bool {
                true #(&& #providers::now_ready(__c))*
            }

            #[inline]
            fn build_now(__c: &__C) -> ::injectq::__private::Option<::injectq::__private::Result<Self>> {
                #(#now_resolves)*
                ::injectq::__private::Option::Some(::injectq::__private::Ok(#construct))
            }
        }
    });
    let (this, init) = match &input.init {
        Some(path) => {
            let call = if path.get_ident().is_some() { quote!(Self::#path) } else { quote!(#path) };
            (
                quote!(let mut __this = #construct;),
                quote_spanned!(path.span()=>
                    ::injectq::__private::init_result(#name_str, #call(&mut __this).await)?;
                ),
            )
        }
        None => (quote!(let __this = #construct;), quote!()),
    };

    let dispose = input.dispose.map(|span| {
        quote_spanned! {span=>
            const DISPOSABLE: bool = true;

            fn disposer(
                this: &::injectq::__private::ArcType<Self>,
                name: &'static str,
            ) -> ::injectq::__private::Option<::injectq::__private::Disposer> {
                ::injectq::__private::Option::Some(::injectq::__private::Disposer::of(name, ::core::clone::Clone::clone(this)))
            }
        }
    });

    quote! {
        #item

        #[automatically_derived]
        impl #impl_params ::injectq::__private::Injectable<__C> for #name #ty_generics
        where
            __C: ::injectq::__private::Sync,
            Self: ::injectq::__private::Send + ::injectq::__private::Sync + 'static,
            #(#bounds)*
            #orig_preds
        {
            const DEPS: &'static [usize] = &[#(#deps),*];

            #dispose

            #now

            #[allow(clippy::manual_async_fn)]
            fn build(__c: &__C) -> impl ::core::future::Future<Output = ::injectq::__private::Result<Self>> + ::core::marker::Send {
                async move {
                    #(#resolves)*
                    #this
                    #init
                    ::injectq::__private::Ok(__this)
                }
            }
        }
    }
}

/// The struct's generics with the container parameter `__C` in front, as an impl header
/// writes them (without defaults).
fn impl_generics_with_container(generics: &syn::Generics) -> TokenStream {
    let mut with_c = generics.clone();
    with_c.params.insert(0, syn::parse_quote!(__C));
    let (impl_generics, _, _) = with_c.split_for_impl();
    impl_generics.into_token_stream()
}
