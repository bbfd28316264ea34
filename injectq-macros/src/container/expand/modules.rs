//! Modules with private parts (`private singleton SmtpPool;` in a `module!`). Each gets two
//! contexts of its own, `AppMailModule` (beside the root) and `AppScopeMailModule` (beside its
//! scope), with the state of what they stand for: its services are built there (their recipes
//! wrapped in `InModule`), so that they reach the module's private helpers, kept in slots of the
//! root's state; everything else they ask for is the container's or the scope's (`Public`). The
//! container and its scopes refuse the helpers (`PrivateKind`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::super::parse::{Container, ModuleTag, Registration};
use super::Reg;

/// A module with private parts: its tag and its two contexts.
pub(super) struct ModuleOut {
    pub(super) tag: ModuleTag,
    pub(super) cx: Ident,
    pub(super) scope_cx: Ident,
}

/// The modules of `c` that keep private parts, in the order their registrations come.
pub(super) fn modules(c: &Container) -> Vec<ModuleOut> {
    let mut out: Vec<ModuleOut> = Vec::new();
    for tag in c.registrations.iter().filter(|r| !r.inherited).filter_map(|r| r.module.as_ref()) {
        if out.iter().any(|m| m.tag == *tag) {
            continue;
        }
        let camel = crate::names::camel_case(&tag.name.to_string());
        let namesakes = out.iter().filter(|m| m.tag.name == tag.name).count();
        let suffix = if namesakes == 0 { String::new() } else { namesakes.to_string() };
        out.push(ModuleOut {
            tag: tag.clone(),
            cx: format_ident!("{}{}Module{}", c.name, camel, suffix),
            scope_cx: format_ident!("{}{}Module{}", c.scope, camel, suffix),
        });
    }
    out
}

/// The module context of registration `r`, if it comes from a module with private parts.
pub(super) fn context_of<'a>(modules: &'a [ModuleOut], r: &Registration) -> Option<&'a ModuleOut> {
    let tag = r.module.as_ref()?;
    modules.iter().find(|m| m.tag == *tag)
}

/// The contexts of each module and how they are entered and provide.
pub(super) fn expand(c: &Container, modules: &[ModuleOut]) -> TokenStream {
    let private = quote!(::injectq::__private);
    let (root, scope, vis) = (&c.name, &c.scope, &c.vis);
    let (root_state, scope_state) = super::state_names(c);
    let mut out = TokenStream::new();
    for m in modules {
        let (cx, scope_cx) = (&m.cx, &m.scope_cx);
        let name = m.tag.name.to_string();
        let doc =
            format!("Where the `{name}` module's services are built, beside [`{root}`] (written by `container!`).");
        let scope_doc =
            format!("Where the `{name}` module's services are built, beside [`{scope}`] (written by `container!`).");
        // a module's context always awaits: its services take the awaited path of creation
        let provide = |ty: &Ident| {
            super::contexts::provide_through(ty, root, &quote!(FromModule), &quote!(#private::ModuleStrategy), false)
        };
        let (provide_root, provide_scope) = (provide(cx), provide(scope_cx));
        let handle = super::contexts::handle(cx, &root_state, quote!([&self.__state.bag]));
        // a context entered from `from` (the container or scope, or the context itself): the
        // same state, seen through `to`
        let module_for = |from: &Ident, to: &Ident| {
            quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #private::ModuleFor<#from> for #cx {
                    type Cx = #to;
                    #[inline]
                    fn enter(c: &#from) -> #to {
                        #to { __state: ::core::clone::Clone::clone(&c.__state) }
                    }
                }
            }
        };
        let enter_root = module_for(root, cx);
        let enter_scope = module_for(scope, scope_cx);
        let enter_own = module_for(cx, cx);
        let enter_own_scope = module_for(scope_cx, scope_cx);
        // the container or scope a context asks for what the module does not keep
        let inner_of = |context: &Ident, inner: &Ident| {
            quote! {
                #[automatically_derived]
                #[doc(hidden)]
                impl #private::ModuleCx for #context {
                    type Inner = #inner;
                    #[inline]
                    fn inner(&self) -> #inner {
                        #inner { __state: ::core::clone::Clone::clone(&self.__state) }
                    }
                }
            }
        };
        let (inner_root, inner_scope) = (inner_of(cx, root), inner_of(scope_cx, scope));
        out.extend(quote! {
            #[doc = #doc]
            #[doc(hidden)]
            #vis struct #cx {
                __state: #private::ArcType<#private::Checked<#root_state>>,
            }

            #[doc = #scope_doc]
            #[doc(hidden)]
            #vis struct #scope_cx {
                __state: #private::ArcType<#private::Checked<#scope_state>>,
            }

            impl ::core::clone::Clone for #cx {
                fn clone(&self) -> Self {
                    Self { __state: ::core::clone::Clone::clone(&self.__state) }
                }
            }

            // the private helpers are created in this context's slots: a handle to the root's
            #handle
            #[automatically_derived]
            #[doc(hidden)]
            impl #private::Ctx for #cx {
                type Root = #root;
            }

            #inner_root
            #inner_scope

            #enter_root
            #enter_scope
            #enter_own
            #enter_own_scope
            #provide_root
            #provide_scope
        });
    }
    out
}

/// A private helper `g` of module `m`: refused by the container (`Registered` with
/// `PrivateKind`, written once per type: two modules may keep the same type), kept in a slot of
/// the root's state and built in the module's context (`Shared<AppMailModule>`), and handed out
/// to the module's contexts (`PrivateIn`).
pub(super) fn private(c: &Container, g: &Reg<'_>, m: &ModuleOut, first_of_type: bool) -> TokenStream {
    let span = g.r.span();
    let private = quote_spanned!(span=> ::injectq::__private);
    let (root, ty, node, name, field) = (&c.name, &g.r.ty, g.node, &g.name, &g.field);
    let (cx, scope_cx) = (&m.cx, &m.scope_cx);
    let recipe = quote_spanned!(span=> #private::InModule<#cx, <#ty as #private::Injectable>::Recipe>);
    let registered = first_of_type.then(|| {
        quote_spanned! {span=>
            #[automatically_derived]
            #[doc(hidden)]
            impl #private::Registered<#root> for #ty {
                const NODE: usize = #node;
                const NAME: &'static str = #name;
                type Lifetime = #private::PrivateKind;
                type Privacy = #private::Private;
            }
        }
    });
    quote_spanned! {span=>
        #registered

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Shared<#cx> for #ty {
            const NAME: &'static str = #name;
            type Stored = #ty;
            type Builder = #recipe;
            #[inline]
            fn slot(c: &#cx) -> &#private::Slot<#ty> {
                &c.__state.#field
            }
            #[inline]
            fn wrap(built: #private::ArcType<#ty>) -> #private::ArcType<#ty> {
                built
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::PrivateIn<#cx> for #ty {
            const NODE: usize = #node;
            #[inline]
            #[allow(clippy::manual_async_fn)]
            fn instance(cx: &#cx) -> impl ::core::future::Future<Output = #private::Result<#private::ArcType<#ty>>> + ::core::marker::Send {
                <#private::Slotted as #private::Strategy<#private::ArcType<#ty>, #cx>>::provide(cx)
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::PrivateIn<#scope_cx> for #ty {
            const NODE: usize = #node;
            #[allow(clippy::manual_async_fn)]
            fn instance(cx: &#scope_cx) -> impl ::core::future::Future<Output = #private::Result<#private::ArcType<#ty>>> + ::core::marker::Send {
                // a helper is a singleton: from the module's context beside the root
                let root = <#cx as #private::ModuleFor<#root>>::enter(&cx.__state.root);
                async move { <#private::Slotted as #private::Strategy<#private::ArcType<#ty>, #cx>>::provide(&root).await }
            }
        }
    }
}
