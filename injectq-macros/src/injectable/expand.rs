//! The struct's `Recipe` (how it is built in any container that provides its fields), and the
//! `Injectable` and `Produces` impls that name it.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::parse::Injectable;

/// The most injected fields that the runtime's `build_N` functions take (`injectq`'s `fields.rs`
/// writes `build_0` to `build_12`); a struct with more gets an `async` block of its own, which
/// works the same and costs more to compile.
const MOST_FIELDS: usize = 12;

pub(crate) fn expand(input: &Injectable) -> TokenStream {
    let item = &input.item;
    let name = &item.ident;
    let name_str = name.to_string();
    let (plain_impl_params, ty_generics, where_clause) = item.generics.split_for_impl();
    // the container parameter: free in everything the impls hold of the user's
    let specs = input.fields.iter().map(|f| &f.spec);
    let init_path = &input.init;
    let c = crate::names::container_param(&quote!(#item #(#specs)* #init_path));
    let impl_params = impl_generics_with_container(&item.generics, &c);
    let orig_preds = where_clause.map(|w| &w.predicates);

    let bindings: Vec<_> = (0..input.fields.len()).map(|i| format_ident!("__field{}", i)).collect();
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
    let private = quote!(::injectq::__private);
    let providers: Vec<_> = resolutions.iter().filter_map(|r| r.provider.as_ref()).collect();
    let requested: Vec<_> = resolutions.iter().filter_map(|r| r.requested.as_ref()).collect();
    let params: Vec<_> = resolutions.iter().filter_map(|r| r.resolved.as_ref()).collect();
    let assigns: Vec<_> = resolutions.iter().map(|r| &r.from_resolved).collect();
    // the struct made from its resolved fields: `|pool, retries| { let .. ; Repo { .. } }`
    let make = quote!(|#(#params),*| { #(#assigns)* #construct });
    // one call of the runtime's `build_N` when it has one for this many fields and there is no
    // init hook (which is async): no `async` block of the struct's own to compile
    let arity = requested.len();
    let by_runtime = input.init.is_none() && arity <= MOST_FIELDS;
    let (build_fn, now_fn, ready_fn, pending_fn) = (
        format_ident!("build_{}", arity),
        format_ident!("now_{}", arity),
        format_ident!("ready_{}", arity),
        format_ident!("pending_{}", arity),
    );
    // built by plain calls when every dependency can be provided without awaiting; never with an
    // init hook, which is async
    let now = input.init.is_none().then(|| {
        let (ready, now, pending) = if by_runtime {
            (
                quote!(#private::#ready_fn::<#c, #(#requested),*>(__c)),
                quote!(#private::#now_fn::<#c, #(#requested,)* Self, _>(__c, __failed, #make)),
                quote!(#private::#pending_fn::<#c, #(#requested),*>(__c, __starts)),
            )
        } else {
            let now_resolves = resolutions.iter().map(|r| &r.now_statement);
            (
                crate::spec::now_ready_body(providers.iter().copied(), &quote!(__c)),
                quote! {
                    #(#now_resolves)*
                    #private::Option::Some(#construct)
                },
                crate::spec::pending_body(providers.iter().copied(), &quote!(__c)),
            )
        };
        quote! {
            const NOW: bool = true;

            #[inline]
            fn pending(__c: &#c, __starts: #private::Starts) -> #private::Option<#private::Pending<'_>> {
                #pending
            }

            #[inline]
            fn now_ready(__c: &#c) -> bool {
                #ready
            }

            #[inline]
            fn build_now(__c: &#c, __failed: &mut #private::Option<#private::Error>) -> #private::Option<Self> {
                #now
            }
        }
    });
    let build_body = if by_runtime {
        quote!(#private::#build_fn::<#c, #(#requested,)* Self, _>(__c, #make))
    } else {
        let init = input.init.as_ref().map(|path| {
            let call =
                if path.get_ident().is_some() { quote_spanned!(path.span()=> Self::#path) } else { quote!(#path) };
            // `__this` interpolated: the hook's path may carry another macro's hygiene
            let this = format_ident!("__this");
            quote_spanned!(path.span()=>
                ::injectq::__private::init_hook(#name_str, #call(&mut #this)).await?;
            )
        });
        quote! {
            async move {
                #(#resolves)*
                #[allow(unused_mut)]
                let mut __this = #construct;
                #init
                ::injectq::__private::Ok(__this)
            }
        }
    };

    // every field is checked here, on its own type: a service is shared between tasks, so one
    // that holds an `Rc` or a `RefCell` (injected, or owned) is reported at that field, whatever
    // rustc also says where the service is registered
    let shared = item.generics.params.is_empty().then(|| {
        let fields = input.fields.iter().map(|f| {
            let ty = &f.ty;
            // from the type's first token to its last, so that the error underlines all of it
            let last = ty.to_token_stream().into_iter().last().map_or_else(|| ty.span(), |t| t.span());
            let close = quote_spanned!(last=> >);
            quote_spanned!(ty.span()=> ::injectq::__private::Shareable<#ty #close)
        });
        // a struct's field types are checked with the items, in the order they are written, so
        // this error comes before rustc's own at the container that holds the service
        quote! {
            const _: () = {
                #[allow(dead_code)]
                struct Fields(#(#fields),*);
            };
        }
    });
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

    // built by plain calls, for `get`: without an init hook, where each field can be had so
    let now_impl = input.init.is_none().then(|| {
        let now_bounds = resolutions.iter().filter_map(|r| r.now_bound.as_ref());
        quote! {
            #[automatically_derived]
            #[doc(hidden)]
            impl #impl_params ::injectq::__private::RecipeNow<#c> for #name #ty_generics
            where
                #(#now_bounds)*
                #orig_preds
            {
            }
        }
    });

    quote! {
        #item

        #shared

        #now_impl

        #[automatically_derived]
        #[doc(hidden)]
        impl #plain_impl_params ::injectq::__private::Produces for #name #ty_generics
        where
            Self: 'static,
            #orig_preds
        {
            type Output = Self;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #plain_impl_params ::injectq::__private::Injectable for #name #ty_generics
        where
            // a service is shared between tasks: one that cannot be has no recipe to name, so
            // that it is reported as such (at its field, by `Shareable` above, and by rustc),
            // not also as a missing provider of that field; checked where it is registered
            // (`for<..>`), not here
            for<'__shared> Self: ::core::marker::Send + 'static,
            #orig_preds
        {
            type Recipe = Self;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #impl_params ::injectq::__private::Recipe<#c> for #name #ty_generics
        where
            #c: ::injectq::__private::Sync,
            Self: 'static,
            #(#bounds)*
            #orig_preds
        {
            const DEPS: &'static [usize] = &[#(#deps),*];

            #dispose

            #now

            #[allow(clippy::manual_async_fn)]
            fn build(__c: &#c) -> impl ::core::future::Future<Output = ::injectq::__private::Result<Self>> + ::core::marker::Send {
                #build_body
            }
        }
    }
}

/// The struct's generics with the container parameter `c` in front, as an impl header writes them
/// (without defaults).
fn impl_generics_with_container(generics: &syn::Generics, c: &proc_macro2::Ident) -> TokenStream {
    let mut with_c = generics.clone();
    with_c.params.insert(0, syn::parse_quote!(#c));
    let (impl_generics, _, _) = with_c.split_for_impl();
    impl_generics.into_token_stream()
}
