//! Per registration, the impls that tell the runtime what it is: `Registered` (its graph id, name
//! and lifetime), and by lifetime `Shared` (a singleton's or scoped service's slot and builder),
//! `Transient` (its builder, and how what is built becomes the registered type, by value too),
//! `Valued` / `TokenValued` (where a value is). None holds logic beyond a field access or a
//! coercion: the logic is the runtime's, written once.
//!
//! A `Shared` or `Transient` impl names its builder as an associated type whose bound the
//! compiler proves at the impl, spanned at the registration: a missing dependency or a captive
//! one is reported there, once, and nowhere else.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::super::parse::{Container, Dispose, Lifetime, Selector, Source};
use super::{Reg, arc};

pub(super) fn expand(
    c: &Container,
    g: &Reg<'_>,
    regs: &[Reg<'_>],
    modules: &[super::modules::ModuleOut],
) -> TokenStream {
    let span = g.r.span();
    if g.r.private.is_some() && !g.r.inherited {
        let Some(m) = super::modules::context_of(modules, g.r) else { return TokenStream::new() };
        // two modules may keep the same type: what is keyed by the type alone is written once
        let name = crate::names::display(&g.r.ty);
        let first = !regs[..g.node].iter().any(|e| e.r.private.is_some() && crate::names::display(&e.r.ty) == name);
        let by_value = if first { by_value(c, g, span) } else { TokenStream::new() };
        return quote!(#by_value).into_iter().chain(super::modules::private(c, g, m, first)).collect();
    }
    let registered = registered(c, g, span);
    let rest = if g.r.inherited {
        TokenStream::new()
    } else if let Source::Alias(imp) = &g.r.source {
        alias(c, g, imp, span)
    } else {
        match g.r.lifetime {
            Lifetime::Value => valued(c, g, span),
            Lifetime::Input => input(c, g, span),
            Lifetime::Singleton => shared(c, g, &c.name, span),
            Lifetime::Scoped => shared(c, g, super::kind_of(c, g.r), span),
            Lifetime::Transient => transient(c, g, span),
        }
    };
    let by_value = by_value(c, g, span);
    let chooser = if g.r.inherited { TokenStream::new() } else { chooser(c, g) };
    quote!(#registered #rest #by_value #chooser)
}

/// A shared registration (a singleton, a scoped service, a value or an input) asked for by value,
/// and `Option` of that: refused with a message that says how it is registered and what to ask
/// for. A transient's by-value shape is its own (see `transient`); a trait object and a token
/// have none.
fn by_value(c: &Container, g: &Reg<'_>, span: Span) -> TokenStream {
    if g.is_dyn() || g.r.token {
        return TokenStream::new();
    }
    let (root, ty) = (&c.name, &g.r.ty);
    let private = quote_spanned!(span=> ::injectq::__private);
    let refusal = match g.r.lifetime {
        Lifetime::Singleton => quote!(#private::SingletonByValue),
        Lifetime::Scoped => quote!(#private::ScopedByValue),
        Lifetime::Value => quote!(#private::ValueByValue),
        Lifetime::Input => quote!(#private::InputByValue),
        Lifetime::Transient => return TokenStream::new(),
    };
    let (params, clause) = g.generic();
    quote_spanned! {span=>
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        #[doc(hidden)]
        impl #params #private::Shape<#root> for #ty #clause {
            type FromRoot = #refusal;
            type FromScope = #refusal;
            type FromModule = ::injectq::__private::Public;
        }

        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        #[doc(hidden)]
        impl #params #private::Shape<#root> for #private::Option<#ty> #clause {
            type FromRoot = #private::Optional<#refusal>;
            type FromScope = #private::Optional<#refusal>;
            type FromModule = ::injectq::__private::Public;
        }
    }
}

/// `Registered<Root>`: graph id, name, lifetime.
fn registered(c: &Container, g: &Reg<'_>, span: Span) -> TokenStream {
    let (root, scope, ty, node, name) = (&c.name, super::kind_of(c, g.r), &g.r.ty, g.node, &g.name);
    let private = quote_spanned!(span=> ::injectq::__private);
    let kind = match (g.r.inherited, g.r.lifetime, g.r.token) {
        (true, ..) => quote!(#private::InheritedKind),
        (false, Lifetime::Singleton, _) if g.is_alias() => quote!(#private::SingletonAliasKind),
        (false, Lifetime::Scoped, _) if g.is_alias() => quote!(#private::ScopedAliasKind<#scope>),
        (false, Lifetime::Value, true) => quote!(#private::TokenKind<true>),
        (false, Lifetime::Singleton, true) => quote!(#private::TokenKind<false>),
        (false, Lifetime::Value, false) => quote!(#private::ValueKind),
        (false, Lifetime::Singleton, false) => quote!(#private::SingletonKind),
        (false, Lifetime::Scoped, _) => quote!(#private::ScopedKind<#scope>),
        (false, Lifetime::Transient, _) => quote!(#private::TransientKind<#scope>),
        (false, Lifetime::Input, _) => quote!(#private::InputKind<#scope>),
    };
    let (params, clause) = g.generic();
    quote_spanned! {span=>
        #[automatically_derived]
        #[doc(hidden)]
        impl #params #private::Registered<#root> for #ty #clause {
            const NODE: usize = #node;
            const NAME: &'static str = #name;
            type Lifetime = #kind;
            type Privacy = #private::Public;
        }
    }
}

/// A shared binding: its implementation's instance as the trait object, coerced here, where an
/// implementation that lacks the trait is reported.
fn alias(c: &Container, g: &Reg<'_>, imp: &syn::Type, span: Span) -> TokenStream {
    let (root, ty) = (&c.name, &g.r.ty);
    let private = quote_spanned!(span=> ::injectq::__private);
    quote_spanned! {span=>
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Alias<#root> for #ty {
            type Target = #imp;
            #[inline]
            fn arc(target: #private::ArcType<#imp>) -> #private::ArcType<#ty> {
                target
            }
        }
    }
}

/// Where a `value` (or a `token K;`'s value) is kept in the root.
fn valued(c: &Container, g: &Reg<'_>, span: Span) -> TokenStream {
    let (root, ty, field) = (&c.name, &g.r.ty, &g.field);
    let private = quote_spanned!(span=> ::injectq::__private);
    if g.r.token {
        return quote_spanned! {span=>
            #[automatically_derived]
            #[doc(hidden)]
            impl #private::TokenValued<#root> for #ty {
                #[inline]
                fn token(root: &#root) -> &#ty {
                    &root.__state.#field
                }
            }

            // the one place that requires a token: anything else is reported here, once
            const _: () = #private::token::<#ty>();
        };
    }
    let arc_ty = arc(ty);
    quote_spanned! {span=>
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Valued<#root> for #ty {
            #[inline]
            fn value(root: &#root) -> &#arc_ty {
                &root.__state.#field
            }
        }
    }
}

/// Where an `input` is kept in the scope.
fn input(c: &Container, g: &Reg<'_>, span: Span) -> TokenStream {
    let (scope, ty, field) = (super::kind_of(c, g.r), &g.r.ty, &g.field);
    let private = quote_spanned!(span=> ::injectq::__private);
    let arc_ty = arc(ty);
    quote_spanned! {span=>
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Valued<#scope> for #ty {
            #[inline]
            fn value(scope: &#scope) -> &#arc_ty {
                &scope.__state.#field
            }
        }
    }
}

/// The recipe of a registration, named through what it must be, so that a type without one is one
/// error with the code of what it is missing: `<T as Injectable>::Recipe` (or `Impl`'s, for a
/// binding), or `<f as Factory>::Recipe`; spanned at the registration. A registration of a module
/// with private parts is built in the module's context (`InModule`).
fn builder(g: &Reg<'_>) -> TokenStream {
    let recipe = own_builder(g);
    match &g.module_cx {
        Some(cx) => {
            let span = g.r.span();
            quote_spanned!(span=> ::injectq::__private::InModule<#cx, #recipe>)
        }
        None => recipe,
    }
}

fn own_builder(g: &Reg<'_>) -> TokenStream {
    let span = g.r.span();
    let private = quote_spanned!(span=> ::injectq::__private);
    match &g.r.source {
        Source::Itself => {
            let ty = &g.r.ty;
            quote_spanned!(span=> <#ty as #private::Injectable>::Recipe)
        }
        Source::Bind(imp) => quote_spanned!(span=> <#imp as #private::Injectable>::Recipe),
        Source::Factory(f) | Source::BindAndFactory(_, f) => quote_spanned!(span=> <#f as #private::Factory>::Recipe),
        Source::Alias(_) => unreachable!("an alias builds nothing: its implementation's registration does"),
        Source::Instance(imp) => quote_spanned!(span=> #private::Instance<#imp>),
        Source::Choice(_) => {
            let chooser = chooser_name(g);
            quote!(#chooser)
        }
    }
}

/// The hidden type that builds a choice, named to be read in rustc's notes: `MailerChoice` for
/// `dyn Mailer` (with the graph id, `MailerChoice3`, written for every choice so that two never
/// clash).
fn chooser_name(g: &Reg<'_>) -> syn::Ident {
    let short = crate::names::last_name(&g.r.ty).unwrap_or_default();
    format_ident!("{}Choice{}", short, g.node)
}

/// A choice's builder (`dyn Mailer => match Profile { .. }`): its `Recipe`, generic in the
/// container or scope it is built in, reads the selector, matches it, logs the choice, and
/// resolves the chosen implementation from its own registration. Every alternative is a bound of
/// the impl, so each is checked whether it is chosen or not; the graph sees an edge to each.
fn chooser(c: &Container, g: &Reg<'_>) -> TokenStream {
    let Source::Choice(choice) = &g.r.source else { return TokenStream::new() };
    let span = choice.keyword.span;
    let private = quote_spanned!(span=> ::injectq::__private);
    let (name, ty, vis) = (&g.name, &g.r.ty, &c.vis);
    let chooser = chooser_name(g);
    // locals with one span on both sides (a choice may come out of a module's macro)
    let (cx, selector, chosen) = (format_ident!("__C"), format_ident!("selector"), format_ident!("chosen"));
    let (c_arg, built, coerced, value_) =
        (format_ident!("__c"), format_ident!("built"), format_ident!("coerced"), format_ident!("value"));
    let transient = g.r.lifetime == Lifetime::Transient;
    let often = g.r.lifetime != Lifetime::Singleton;
    // what each alternative is resolved as: its instance, or a new value for a transient
    let asked: Vec<TokenStream> = choice
        .arms
        .iter()
        .map(|a| {
            let imp = &a.imp;
            if transient { quote!(#imp) } else { quote!(#private::ArcType<#imp>) }
        })
        .collect();
    let (output, value) = if transient {
        (
            quote!(#private::Box<#ty>),
            quote!({ let #coerced: #private::Box<#ty> = #private::Box::new(#built); #coerced }),
        )
    } else {
        (
            quote!(#private::InstanceOf<#ty>),
            quote!({ let #coerced: #private::ArcType<#ty> = #built; #private::InstanceOf(#coerced) }),
        )
    };
    let (selector_bound, selector_dep, read, selector_name) = match &choice.selector {
        Selector::Resolved(sel) => (
            quote_spanned!(sel.span()=> #cx: #private::Provide<#private::ArcType<#sel>>,),
            quote!(<#cx as #private::Provide<#private::ArcType<#sel>>>::NODE,),
            quote_spanned!(sel.span()=>
                let #selector: #private::ArcType<#sel> = <#cx as #private::Provide<#private::ArcType<#sel>>>::provide(#c_arg).await?;
                let #selector = &*#selector;
            ),
            crate::names::display(sel),
        ),
        Selector::Expr(expr) => (
            TokenStream::new(),
            TokenStream::new(),
            quote_spanned!(expr.span()=> let #selector = #expr;),
            crate::names::display(expr),
        ),
    };
    // the scrutinee located at the selector, resolved as the local is: a pattern not covered is
    // reported there
    let selector_span = match &choice.selector {
        Selector::Resolved(sel) => sel.span(),
        Selector::Expr(expr) => expr.span(),
    };
    let scrutinee = syn::Ident::new("selector", Span::call_site().located_at(selector_span));
    let arms = choice.arms.iter().enumerate().map(|(i, a)| {
        let (pat, guard) = (&a.pat, a.guard.as_ref().map(|g| quote!(if #g)));
        quote!(#pat #guard => #i,)
    });
    let alt_names: Vec<String> = choice.arms.iter().map(|a| crate::names::display(&a.imp)).collect();
    let builds = choice.arms.iter().zip(&asked).enumerate().map(|(i, (a, asked))| {
        let imp_span = a.imp.span();
        let alt = &alt_names[i];
        quote_spanned! {imp_span=>
            #i => {
                #private::chose(#name, #alt, #selector_name, #often);
                let #built: #asked = <#cx as #private::Provide<#asked>>::provide(#c_arg).await?;
                #value
            }
        }
    });
    let bounds = asked.iter().map(|asked| quote!(#cx: #private::Provide<#asked>,));
    let deps = asked.iter().map(|asked| quote!(<#cx as #private::Provide<#asked>>::NODE,));
    let doc = format!("How `{name}` is chosen among its alternatives (written by `container!`).");
    quote_spanned! {span=>
        #[doc = #doc]
        #[doc(hidden)]
        #vis struct #chooser;

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Produces for #chooser {
            type Output = #output;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl<#cx: #private::Sync> #private::Recipe<#cx> for #chooser
        where
            #selector_bound
            #(#bounds)*
        {
            const DEPS: &'static [usize] = &[#selector_dep #(#deps)*];

            #[allow(clippy::manual_async_fn, unreachable_code)]
            fn build(#c_arg: &#cx) -> impl ::core::future::Future<Output = #private::Result<Self::Output>> + ::core::marker::Send {
                async move {
                    let #chosen: usize = {
                        #read
                        match #scrutinee {
                            #(#arms)*
                        }
                    };
                    let #value_: #output = match #chosen {
                        #(#builds)*
                        _ => ::core::unreachable!("an arm's index"),
                    };
                    #private::Ok(#value_)
                }
            }
        }
    }
}

/// `Shared<ctx>`: a singleton's slot in the root, or a scoped service's in the scope, and how it is
/// built there.
fn shared(c: &Container, g: &Reg<'_>, ctx: &syn::Ident, span: Span) -> TokenStream {
    let (ty, field, name, node) = (&g.r.ty, &g.field, &g.name, g.node);
    let settled = super::graph::settled_table(c);
    let private = quote_spanned!(span=> ::injectq::__private);
    let stored = g.stored();
    let builder = builder(g);
    if !g.r.decorators.is_empty() {
        return decorated(c, g, ctx, span, &builder);
    }
    let built = quote_spanned!(span=> #private::ArcType<<<Self as #private::Shared<#ctx>>::Builder as #private::Produces>::Output>);
    let output = quote_spanned!(span=> <<Self as #private::Shared<#ctx>>::Builder as #private::Produces>::Output);
    let wrap = stored_from_built(g, &output, span);
    let disposer = factory_disposer(g, &built);
    let (params, clause) = g.generic();
    // a generic registration's slots, one per type, in a field of its own
    let slot = if g.r.generics.is_some() {
        quote_spanned!(span=> c.__state.#field.slot::<#stored>())
    } else {
        quote_spanned!(span=> &c.__state.#field)
    };
    quote_spanned! {span=>
        #[automatically_derived]
        #[doc(hidden)]
        impl #params #private::Shared<#ctx> for #ty #clause {
            const NAME: &'static str = #name;
            const ASSEMBLED: bool = #settled[#node];
            type Stored = #stored;
            type Builder = #builder;
            #[inline]
            fn slot(c: &#ctx) -> &#private::Slot<#stored> {
                #slot
            }
            #[inline]
            fn wrap(built: #built) -> #private::ArcType<#stored> {
                #wrap
            }
            #disposer
        }
    }
}

/// How what a shared registration's recipe built (`built`, an `Arc` of `output`) becomes what its
/// slot stores: a factory's output checked to be the registered type (or, registered as a trait
/// object, an `Arc` or `Box` of it); the implementation's instance or the chosen one, as the trait
/// object; else the identity (a binding's coercion is its alias's, see `bindings`).
fn stored_from_built(g: &Reg<'_>, output: &TokenStream, span: Span) -> TokenStream {
    let private = quote_spanned!(span=> ::injectq::__private);
    let stored = g.stored();
    match &g.r.source {
        Source::Factory(_) if g.is_dyn() => {
            quote_spanned!(span=> #private::registered_dyn_arc::<#output, #stored>(built))
        }
        Source::Factory(_) => quote_spanned!(span=> #private::registered_arc::<#output, #stored>(built)),
        Source::Instance(imp) => quote_spanned!(span=> {
            let instance: #private::ArcType<#imp> = ::core::clone::Clone::clone(&built.0);
            let coerced: #private::ArcType<#stored> = instance;
            coerced
        }),
        Source::Choice(_) => quote_spanned!(span=> ::core::clone::Clone::clone(&built.0)),
        _ => quote_spanned!(span=> built),
    }
}

/// `Shared<ctx>` of a registration with decorators (`decorate T = f;`): its own recipe and wrap
/// move to a marker type's `Undecorated` impl, and its builder is the chain
/// `Decorations<marker, (Plain<f1>, ..)>`, whose output holds the outermost value.
fn decorated(c: &Container, g: &Reg<'_>, ctx: &syn::Ident, span: Span, builder: &TokenStream) -> TokenStream {
    let (ty, field, name) = (&g.r.ty, &g.field, &g.name);
    let private = quote_spanned!(span=> ::injectq::__private);
    let stored = g.stored();
    let marker = undecorated_marker(c, g);
    let (layers, disposing) = layers(c, g, &quote!(#private::ArcType<#stored>));
    let output = quote_spanned!(span=> <<Self as #private::Undecorated<#ctx>>::Base as #private::Produces>::Output);
    let built = quote_spanned!(span=> #private::ArcType<#output>);
    let wrap = stored_from_built(g, &output, span);
    let disposer = factory_disposer(g, &built);
    let marker_struct = marker_struct(&marker, name, span);
    quote_spanned! {span=>
        #marker_struct

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Decorates for #marker {
            type Stored = #stored;
            const NAME: &'static str = #name;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Undecorated<#ctx> for #marker {
            type Base = #builder;
            #[inline]
            fn wrap(built: #built) -> #private::ArcType<#stored> {
                #wrap
            }
            #disposer
        }

        #disposing

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Shared<#ctx> for #ty {
            const NAME: &'static str = #name;
            type Stored = #stored;
            type Builder = #private::Decorations<#marker, #layers>;
            #[inline]
            fn slot(c: &#ctx) -> &#private::Slot<#stored> {
                &c.__state.#field
            }
            #[inline]
            fn wrap(built: #private::ArcType<#private::Layered<#stored>>) -> #private::ArcType<#stored> {
                built.value()
            }
        }
    }
}

/// The declaration of a decorated registration's marker type.
fn marker_struct(marker: &syn::Ident, name: &str, span: Span) -> TokenStream {
    let doc = format!("How `{name}` is built before its decorators (written by `container!`).");
    quote_spanned! {span=>
        #[doc = #doc]
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        pub struct #marker;
    }
}

/// The marker type of a decorated registration, named to be read in rustc's notes:
/// `AppMailerUndecorated` for `dyn Mailer` in `App` (with the graph id when two decorated types
/// share a name).
fn undecorated_marker(c: &Container, g: &Reg<'_>) -> syn::Ident {
    let last = crate::names::last_name;
    let short = last(&g.r.ty).unwrap_or_default();
    let namesakes =
        c.registrations.iter().filter(|r| !r.decorators.is_empty() && last(&r.ty).as_deref() == Some(&*short));
    if namesakes.count() > 1 {
        format_ident!("{}{}Undecorated{}", c.name, short, g.node)
    } else {
        format_ident!("{}{}Undecorated", c.name, short)
    }
}

/// The chain of a decorated registration, a tuple of layers innermost first (`Plain<f>`, or
/// `Disposing<f, K>` for a line with `, dispose`), and the definition of each `K`: how that
/// decorator's output becomes `value` (the decorated value: `Arc<T>`) and its disposer.
fn layers(c: &Container, g: &Reg<'_>, value: &TokenStream) -> (TokenStream, TokenStream) {
    let mut definitions = TokenStream::new();
    let layers = g.r.decorators.iter().enumerate().map(|(i, d)| {
        let (f, span) = (&d.with, d.with.span());
        let private = quote_spanned!(span=> ::injectq::__private);
        let Some(dispose) = &d.dispose else { return quote_spanned!(span=> #private::Plain<#f>) };
        let k = format_ident!("__{}Decorate{}_{}", c.name, g.node, i);
        let name = format!("{} (decorates {})", crate::names::display(f), g.name);
        let (output, disposer) = (format_ident!("output"), format_ident!("disposer"));
        let disposer_body = match dispose {
            Dispose::Impl(keyword) => {
                let private = quote_spanned!(keyword.span()=> ::injectq::__private);
                quote_spanned!(keyword.span()=> #private::dispose_option(#name, ::core::clone::Clone::clone(&#output)))
            }
            Dispose::Hook(_, hook) => {
                let private = quote_spanned!(hook.span()=> ::injectq::__private);
                quote_spanned!(hook.span()=> {
                    let #output = ::core::clone::Clone::clone(&#output);
                    #private::Disposer::new(#name, move || async move {
                        #private::hook_result(#hook(&#output).await)
                    })
                })
            }
        };
        let vis = &c.vis;
        definitions.extend(quote_spanned! {span=>
            #[doc = "How a decorator's output is disposed with the service (written by `container!`)."]
            #[doc(hidden)]
            #vis struct #k;

            #[automatically_derived]
            #[doc(hidden)]
            impl #private::DisposingLayer<<#f as #private::Produces>::Output, #value> for #k {
                fn split(#output: <#f as #private::Produces>::Output) -> (#value, #private::Disposer) {
                    let #output = #private::ArcType::new(#output);
                    let #disposer = #disposer_body;
                    (#output, #disposer)
                }
            }
        });
        quote_spanned!(span=> #private::Disposing<#f, #k>)
    });
    let layers: Vec<_> = layers.collect();
    (quote!((#(#layers,)*)), definitions)
}

/// `Transient<Scope>` of a registration with decorators: its own recipe and how what it builds
/// becomes the value its decorators take (`T`, or `Box<dyn T>`) move to a marker type's
/// `UndecoratedValue` impl; its builder is `TransientDecorations<marker, (Plain<f1>, ..)>`.
fn decorated_transient(c: &Container, g: &Reg<'_>, span: Span) -> (TokenStream, TokenStream, TokenStream) {
    let (ty, name) = (&g.r.ty, &g.name);
    let private = quote_spanned!(span=> ::injectq::__private);
    let marker = undecorated_marker(c, g);
    let builder = builder(g);
    let value = if g.is_dyn() { quote_spanned!(span=> #private::Box<#ty>) } else { quote!(#ty) };
    let (layers, _) = layers(c, g, &value);
    let output = quote_spanned!(span=> <<Self as #private::UndecoratedValue<__C>>::Base as #private::Produces>::Output);
    let wrap = match &g.r.source {
        Source::Itself => quote!(built),
        Source::Factory(_) if g.is_dyn() => quote_spanned!(span=> #private::transient_dyn_box::<#output, #ty>(built)),
        Source::Factory(_) => quote_spanned!(span=> #private::registered::<#output, #ty>(built)),
        Source::Bind(_) => quote_spanned!(span=> #private::Box::new(built)),
        Source::BindAndFactory(imp, _) => {
            quote_spanned!(span=> #private::Box::new(#private::registered::<#output, #imp>(built)))
        }
        Source::Choice(_) => quote!(built),
        Source::Alias(_) | Source::Instance(_) => unreachable!("a transient binding is not an alias"),
    };
    let marker_struct = marker_struct(&marker, name, span);
    let definitions = quote_spanned! {span=>
        #marker_struct

        #[automatically_derived]
        #[doc(hidden)]
        impl #private::DecoratesValue for #marker {
            type Value = #value;
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl<__C> #private::UndecoratedValue<__C> for #marker
        where
            #builder: #private::Recipe<__C, Output: #private::Send + #private::Sync>,
        {
            type Base = #builder;
            #[inline]
            fn wrap(built: #output) -> #value {
                #wrap
            }
        }
    };
    let builder = quote_spanned!(span=> #private::TransientDecorations<#marker, #layers>);
    let wrap = if g.is_dyn() { quote!(#private::Boxed) } else { quote!(#private::Same) };
    (definitions, builder, wrap)
}

/// A factory registration's `, dispose` (through `AsyncDispose`) or `, dispose = hook`.
///
/// The body is spanned at the keyword or the hook, so that a type that cannot be disposed that way
/// is reported there. Its locals are interpolated with the signature's span: a hook replayed by a
/// module's macro carries that macro's hygiene, and a local typed in its span would not be found.
fn factory_disposer(g: &Reg<'_>, built_ty: &TokenStream) -> TokenStream {
    let private = quote!(::injectq::__private);
    let (built, name) = (format_ident!("built"), format_ident!("name"));
    let by_factory = matches!(g.r.source, Source::Factory(_));
    let body = match (by_factory, &g.r.dispose) {
        (true, Some(Dispose::Impl(keyword))) => {
            let private = quote_spanned!(keyword.span()=> ::injectq::__private);
            quote_spanned!(keyword.span()=>
                #private::Option::Some(#private::dispose_option(#name, ::core::clone::Clone::clone(#built)))
            )
        }
        (true, Some(Dispose::Hook(_, hook))) => {
            let private = quote_spanned!(hook.span()=> ::injectq::__private);
            quote_spanned!(hook.span()=> {
                let #built = ::core::clone::Clone::clone(#built);
                #private::Option::Some(#private::Disposer::new(#name, move || async move {
                    #private::hook_result(#hook(&#built).await)
                }))
            })
        }
        _ => return TokenStream::new(),
    };
    quote! {
        fn disposer(#built: &#built_ty, #name: &'static str) -> #private::Option<#private::Disposer> {
            #body
        }
    }
}

/// `Transient<Scope>`: how it is built in a scope (checked here) and made into the registered
/// type; by value (and `Option` of it) unless it is a trait object.
fn transient(c: &Container, g: &Reg<'_>, span: Span) -> TokenStream {
    let (root, scope, ty, node) = (&c.name, super::kind_of(c, g.r), &g.r.ty, g.node);
    let private = quote_spanned!(span=> ::injectq::__private);
    let outlined = super::graph::outlined_table(c);
    let settled = super::graph::settled_table(c);
    let mut builder = builder(g);
    let arc_ty = arc(ty);
    let (wrap, coercer) = match &g.r.source {
        _ if !g.r.decorators.is_empty() => {
            let (definitions, decorated, wrap) = decorated_transient(c, g, span);
            builder = decorated;
            (wrap, definitions)
        }
        Source::Itself => (quote!(#private::Same), TokenStream::new()),
        // the chooser hands out the chosen implementation boxed
        Source::Choice(_) => (quote!(#private::Boxed), TokenStream::new()),
        Source::Factory(f) if g.is_dyn() => {
            // what the factory returns is checked in `boxed`, named as written, so that the one
            // error reads `dyn Codec`; `arc` goes through it
            let output = quote_spanned!(span=> <#f as #private::Produces>::Output);
            coercer(c, g, "How a factory's boxed trait object is handed out (written by `container!`).", |name| {
                quote_spanned! {span=>
                    #[doc(hidden)]
                    impl #private::Coerce<#output, #ty> for #name {
                        #[inline]
                        fn arc(built: #output) -> #arc_ty {
                            #private::ArcType::from(<Self as #private::Coerce<#output, #ty>>::boxed(built))
                        }
                        #[inline]
                        fn boxed(built: #output) -> #private::Box<#ty> {
                            #private::transient_dyn_box::<#output, #ty>(built)
                        }
                    }
                }
            })
        }
        Source::Factory(_) => (quote!(#private::FactoryOut), TokenStream::new()),
        Source::Alias(_) | Source::Instance(_) => unreachable!("a transient binding is not an alias"),
        Source::Bind(imp) | Source::BindAndFactory(imp, _) => {
            // what a factory built is checked to be the implementation, then coerced
            let (built_ty, generics, bound, imp_value) = match &g.r.source {
                Source::Bind(_) => (quote!(#imp), TokenStream::new(), TokenStream::new(), quote!(built)),
                _ => (
                    quote!(__B),
                    quote!(<__B>),
                    quote!(where __B: #private::FactoryOutput<#imp>),
                    quote!(#private::registered::<__B, #imp>(built)),
                ),
            };
            coercer(
                c,
                g,
                "How a binding's implementation becomes its trait object (written by `container!`).",
                |name| {
                    quote_spanned! {span=>
                        impl #generics #private::Coerce<#built_ty, #ty> for #name #bound {
                            #[inline]
                            fn arc(built: #built_ty) -> #arc_ty {
                                #private::ArcType::new(#imp_value)
                            }
                            #[inline]
                            fn boxed(built: #built_ty) -> #private::Box<#ty> {
                                #private::Box::new(#imp_value)
                            }
                        }
                    }
                },
            )
        }
    };
    let (params, clause) = g.generic();
    // a trait object is handed out behind an `Arc` or a `Box`, never by value
    let by_value = (!g.is_dyn()).then(|| {
        quote_spanned! {span=>
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            #[doc(hidden)]
            impl #params #private::Shape<#root> for #ty #clause {
                type FromRoot = #private::ValueFrom<#scope>;
                type FromScope = #private::InKind<#scope, #private::TransientValue>;
                type FromModule = ::injectq::__private::Public;
            }

            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            #[doc(hidden)]
            impl #params #private::Shape<#root> for #private::Option<#ty> #clause {
                type FromRoot = #private::Optional<#private::ValueFrom<#scope>>;
                type FromScope = #private::Optional<#private::InKind<#scope, #private::TransientValue>>;
                type FromModule = ::injectq::__private::Public;
            }
        }
    });
    quote_spanned! {span=>
        #coercer

        #[automatically_derived]
        #[doc(hidden)]
        impl #params #private::Transient<#scope> for #ty #clause {
            type Builder = #builder;
            type Wrap = #wrap;
            const OUTLINED: bool = #outlined[#node];
            const SETTLES: bool = #settled[#node];
        }

        #by_value
    }
}

/// The coercion type of a transient trait object (`__AppCoerce3`) and its definition, whose
/// `Coerce` impl `coerce_impl` writes for the type's name: how what its builder built is handed
/// out in an `Arc` or a `Box`.
fn coercer(
    c: &Container,
    g: &Reg<'_>,
    doc: &str,
    coerce_impl: impl FnOnce(&syn::Ident) -> TokenStream,
) -> (TokenStream, TokenStream) {
    let span = g.r.span();
    let name = format_ident!("__{}Coerce{}", c.name, g.node);
    let vis = &c.vis;
    let coerce_impl = coerce_impl(&name);
    let definition = quote_spanned! {span=>
        #[doc = #doc]
        #[doc(hidden)]
        #vis struct #name;

        #[automatically_derived]
        #coerce_impl
    };
    (quote!(#name), definition)
}
