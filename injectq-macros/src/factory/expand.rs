//! The companion type, its `Recipe` (resolve the arguments, call the function) and the `Factory`
//! and `Produces` impls that name it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::parse::{Factory, Output};

pub(crate) fn expand(input: &Factory) -> TokenStream {
    let item = &input.item;
    let name = &item.sig.ident;
    let name_str = name.to_string();
    let (companion, name_ty) = companion(input);
    let (out_ty, fallible) = match &input.output {
        Output::Value(ty) => (ty, false),
        Output::Fallible(ty) => (ty, true),
        Output::Unsupported(_) => unreachable!("rejected in validation"),
    };
    let injected: Vec<_> = input.args.iter().filter(|a| !a.caller && !a.inner).map(|a| &a.ty).collect();
    let ctr = crate::names::container_param(item);
    let named = named(&name_ty, out_ty);
    let bounds = injected.iter().map(|ty| quote_spanned!(ty.span()=> #ctr: ::injectq::__private::Provide<#ty>,));
    let deps = injected.iter().map(|ty| quote!(<#ctr as ::injectq::__private::Provide<#ty>>::NODE));
    let binds: Vec<_> = (0..input.args.len()).map(|i| format_ident!("__arg{}", i)).collect();
    let resolves = input.args.iter().zip(&binds).filter(|(a, _)| !a.caller && !a.inner).map(|(a, bind)| {
        let ty = &a.ty;
        quote!(let #bind: #ty = <#ctr as ::injectq::__private::Provide<#ty>>::provide(__c).await?;)
    });
    let await_ = item.sig.asyncness.map(|_| quote!(.await));
    let call = quote!(#name(#(#binds),*) #await_);
    let ret_span = match &item.sig.output {
        syn::ReturnType::Type(_, ty) => ty.span(),
        syn::ReturnType::Default => name.span(),
    };
    let result = if fallible {
        quote_spanned!(ret_span=> ::injectq::__private::factory_result(#name_str, #call))
    } else {
        quote!(::injectq::__private::Ok(#call))
    };
    // the call: its injected arguments resolved from the container, then the function called
    let body = quote!(async move {
        #(#resolves)*
        #result
    });
    // the same for a call by plain calls, whose error is left in `__failed`
    let result_now = if fallible {
        {
            // interpolated: the return type may carry another macro's hygiene (see `factory_disposer`)
            let failed = format_ident!("__failed");
            quote_spanned!(ret_span=> ::injectq::__private::factory_now(::injectq::__private::factory_result(#name_str, #call), #failed))
        }
    } else {
        quote!(::injectq::__private::Option::Some(#call))
    };

    // a function that is not `async` is also called by plain calls, when every argument can be
    // had without awaiting: its registration is then assembled, or settles
    let by_plain_calls = item.sig.asyncness.is_none().then(|| {
        let private = quote!(::injectq::__private);
        let c = quote!(__c);
        let providers: Vec<_> = injected.iter().map(|ty| quote!(<#ctr as #private::Provide<#ty>>)).collect();
        let injected_binds = input.args.iter().zip(&binds).filter(|(a, _)| !a.caller).map(|(_, b)| b);
        let provided = providers.iter().map(|p| crate::spec::provided_now(p, &c));
        let ready = crate::spec::now_ready_body(&providers, &c);
        let pending = crate::spec::pending_body(&providers, &c);
        quote! {
            const NOW: bool = true;

            #[inline]
            fn now_ready(__c: &#ctr) -> bool {
                #ready
            }

            #[inline]
            fn build_now(__c: &#ctr, __failed: &mut #private::Option<#private::Error>) -> #private::Option<Self::Output> {
                #(let #injected_binds: #injected = #provided;)*
                #result_now
            }

            #[inline]
            fn pending(__c: &#ctr, __starts: #private::Starts) -> #private::Option<#private::Pending<'_>> {
                #pending
            }
        }
    });

    if let Some((inner, inner_bind)) = input.args.iter().zip(&binds).find(|(a, _)| a.inner) {
        // a decorator: the container gives the `#[inner]` parameter, the service it decorates
        let inner_ty = &inner.ty;
        let refused = never_built(
            &name_ty,
            &ctr,
            quote!(where #ctr: ::injectq::__private::TakesInner<#name_ty>),
            "a decorator is never registered as a service",
        );
        return quote! {
            #item

            // The factory as a type, for `decorate T = name;`.
            #companion
            #named
            // so that registering it as a service is reported once: it needs the service it decorates
            #refused

            #[automatically_derived]
            #[doc(hidden)]
            impl<#ctr> ::injectq::__private::Decorator<#ctr> for #name_ty
            where
                #ctr: ::injectq::__private::Sync,
                #(#bounds)*
            {
                type Inner = #inner_ty;
                const DEPS: &'static [usize] = &[#(#deps),*];

                #[allow(clippy::manual_async_fn)]
                fn decorate(
                    __c: &#ctr,
                    #inner_bind: #inner_ty,
                ) -> impl ::core::future::Future<Output = ::injectq::__private::Result<Self::Output>> + ::core::marker::Send {
                    #body
                }
            }
        };
    }
    if input.args.iter().any(|a| a.caller) {
        // assisted: the caller gives the `#[arg]` parameters, through `Assisted<name>`
        let caller_tys = input.args.iter().filter(|a| a.caller).map(|a| &a.ty);
        let caller_binds = input.args.iter().zip(&binds).filter(|(a, _)| a.caller).map(|(_, b)| b);
        let refused = never_built(
            &name_ty,
            &ctr,
            quote!(where #ctr: ::injectq::__private::TakesArgs<#name_ty>),
            "a factory with `#[arg]` parameters is never registered",
        );
        return quote! {
            #item

            // The factory as a type, for `Assisted<name>`.
            #companion

            // so that registering it is reported once, as a factory the container cannot call: its
            // caller gives the `#[arg]` parameters, and the container has none to give
            #named
            #refused

            #[automatically_derived]
            impl ::injectq::__private::AssistedSig for #name_ty {
                type Args = (#(#caller_tys,)*);
                type Output = #out_ty;
            }

            #[automatically_derived]
            impl<#ctr> ::injectq::__private::AssistedFactory<#ctr> for #name_ty
            where
                #ctr: ::injectq::__private::Sync,
                #(#bounds)*
            {
                #[allow(clippy::manual_async_fn)]
                fn call(
                    __c: &#ctr,
                    (#(#caller_binds,)*): <Self as ::injectq::__private::AssistedSig>::Args,
                ) -> impl ::core::future::Future<Output = ::injectq::__private::Result<<Self as ::injectq::__private::AssistedSig>::Output>> + ::core::marker::Send {
                    #body
                }
            }
        };
    }
    // called by plain calls, for `get`, when it is not `async`
    let now_impl = item.sig.asyncness.is_none().then(|| {
        let now_bounds = injected.iter().map(|ty| quote_spanned!(ty.span()=> #ctr: ::injectq::__private::GetNow<#ty>,));
        quote! {
            #[automatically_derived]
            #[doc(hidden)]
            impl<#ctr> ::injectq::__private::RecipeNow<#ctr> for #name_ty
            where
                #(#now_bounds)*
            {
            }
        }
    });
    quote! {
        #item

        #now_impl

        // The factory as a type, for `container!` registrations. Always `pub`: a container may be
        // more visible than the function, and names this type in its trait impls.
        #companion
        #named

        #[automatically_derived]
        #[doc(hidden)]
        impl<#ctr> ::injectq::__private::Recipe<#ctr> for #name_ty
        where
            #ctr: ::injectq::__private::Sync,
            #(#bounds)*
        {
            const DEPS: &'static [usize] = &[#(#deps),*];

            #[allow(clippy::manual_async_fn)]
            fn build(__c: &#ctr) -> impl ::core::future::Future<Output = ::injectq::__private::Result<Self::Output>> + ::core::marker::Send {
                #body
            }

            #by_plain_calls
        }
    }
}

/// What the companion builds (`Produces`), and that it is a factory whose recipe is itself
/// (`Factory`): how a registration `= f` names the recipe.
fn named(name_ty: &TokenStream, out_ty: &syn::Type) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::injectq::__private::Produces for #name_ty {
            type Output = #out_ty;
        }

        #[automatically_derived]
        impl ::injectq::__private::Factory for #name_ty {
            type Recipe = Self;
        }
    }
}

/// A recipe that is never run, under `bounds`: an assisted factory's (refused where it is
/// registered), or a factory's with errors (its crate does not compile).
fn never_built(name_ty: &TokenStream, ctr: &proc_macro2::Ident, bounds: TokenStream, why: &str) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl<#ctr> ::injectq::__private::Recipe<#ctr> for #name_ty #bounds {
            const DEPS: &'static [usize] = &[];

            #[allow(clippy::manual_async_fn)]
            fn build(_: &#ctr) -> impl ::core::future::Future<Output = ::injectq::__private::Result<Self::Output>> + ::core::marker::Send {
                async { ::core::unreachable!(#why) }
            }
        }
    }
}

/// The companion type, with the function's name, and how the impls name it.
///
/// It lives in a module of its own and is imported under the fn's name, so that a type or module
/// of that name beside it is one error, at the import, rather than also an error at each impl,
/// which name it through the module. It is imported at the attribute: a clash is reported at
/// `#[factory]`, which defines the type (an alias instead of an import would make rustc print the
/// type with its module's name).
fn companion(input: &Factory) -> (TokenStream, TokenStream) {
    let name = &input.item.sig.ident;
    let module = format_ident!("__injectq_factory_{}", name);
    let mut imported = name.clone();
    imported.set_span(proc_macro2::Span::call_site());
    let companion = quote! {
        #[doc(hidden)]
        #[allow(non_snake_case)]
        mod #module {
            #[allow(non_camel_case_types, unreachable_pub)]
            pub struct #name {}
        }
        #[doc(hidden)]
        #[allow(unreachable_pub, unused_imports)]
        pub use #module::#imported;
    };
    (companion, quote!(#module::#name))
}

/// What `#[factory]` writes beside its errors: the companion type, a factory of what the function
/// returns that asks for nothing (never called: the crate does not compile), so that a
/// registration of it is not reported again (as "constant provided when a type was expected",
/// or as a missing argument). Nothing more where what it returns is not known.
pub(crate) fn fallback(input: &Factory) -> TokenStream {
    let (companion, name_ty) = companion(input);
    let out_ty = match &input.output {
        Output::Value(ty) | Output::Fallible(ty) if input.item.sig.generics.params.is_empty() => ty,
        _ => return companion,
    };
    let ctr = crate::names::container_param(&input.item);
    let named = named(&name_ty, out_ty);
    let recipe =
        never_built(&name_ty, &ctr, quote!(), "a factory with errors is never called: its crate does not compile");
    quote! {
        #companion
        #named
        #recipe
    }
}
