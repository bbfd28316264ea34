//! The dependency graph: a table of every registration, its lifetime and what it needs, checked
//! by a `const` while compiling (a cycle is a compile error that prints the loop; a captive
//! dependency is a type error at the registration, from the runtime's refusals), which transients
//! settle and which shared services are assembled, and `App::graph()` to draw it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::super::parse::{Container, Lifetime, Source};
use super::Reg;
use super::multi::Collection;

pub(super) fn expand(c: &Container, regs: &[Reg<'_>], collections: &[Collection<'_>]) -> TokenStream {
    let node = |name: &str, lifetime: &TokenStream, deps: TokenStream| {
        quote! {
            ::injectq::__private::Node {
                name: #name,
                lifetime: ::injectq::__private::Lifetime::#lifetime,
                deps: #deps,
            }
        }
    };
    // a decorated registration needs its undecorated self and each decorator, nodes of their own
    // after the collections': a loop through a decorator's dependencies is a cycle too
    let mut layers = Vec::new();
    let mut next = regs.len() + collections.len();
    let nodes: Vec<_> = regs
        .iter()
        .map(|g| {
            let lifetime = match g.r.lifetime {
                Lifetime::Value => quote!(Value),
                Lifetime::Singleton => quote!(Singleton),
                Lifetime::Scoped => quote!(Scoped),
                Lifetime::Transient => quote!(Transient),
                Lifetime::Input => quote!(Input),
            };
            if g.r.decorators.is_empty() || g.r.inherited {
                return node(&g.name, &lifetime, deps(c, g));
            }
            let ids: Vec<usize> = (next..=next + g.r.decorators.len()).collect();
            next += ids.len();
            layers.push(node(&format!("{} (undecorated)", g.name), &lifetime, deps(c, g)));
            for (i, d) in g.r.decorators.iter().enumerate() {
                let name = format!("{} (decorates {})", crate::names::display(&d.with), g.name);
                layers.push(node(&name, &lifetime, layer_deps(c, g, i)));
            }
            node(&g.name, &lifetime, quote!(&[#(#ids),*]))
        })
        .collect();
    let private = quote!(::injectq::__private);
    let owned = regs.iter().filter(|g| g.r.lifetime == Lifetime::Transient && !g.r.inherited && g.r.generics.is_none()).filter_map(|g| {
        if matches!(g.r.source, Source::Factory(_)) {
            return None;
        }
        let (ty, scope) = (&g.r.ty, super::kind_of(c, g.r));
        let message = format!(
            "[injectq::invalid-registration] transient `{}` is `#[injectable(dispose)]`, but a transient is handed over to whoever asked and the container cannot dispose it: register it as `scoped` or `singleton`",
            g.name
        );
        Some(quote_spanned!(g.r.span()=>
            const _: () = ::core::assert!(!#private::TransientDeps::<#scope, #ty>::DISPOSABLE, #message);
        ))
    });
    let collection_nodes = collections.iter().map(|col| super::multi::node(c, col));
    let name = &c.name;
    let count = next;
    let table = table(c);
    let settled_table = settled_table(c);
    let outlined_table = outlined_table(c);
    // whether each registration's builder can build it without awaiting (no init hook, no async
    // factory): the graph finds from it which transients settle and which shared services are
    // assembled
    let now = regs.iter().map(|g| {
        let (root, scope, ty) = (&c.name, super::kind_of(c, g.r), &g.r.ty);
        match g.r.lifetime {
            _ if g.r.inherited || g.r.generics.is_some() || g.r.private.is_some() => quote!(false),
            // an alias is its implementation's instance: created once, like any shared service
            _ if g.is_alias() => quote!(true),
            Lifetime::Transient => quote_spanned!(g.r.span()=> #private::TransientDeps::<#scope, #ty>::NOW),
            Lifetime::Singleton => quote_spanned!(g.r.span()=> #private::SharedDeps::<#root, #ty>::NOW),
            Lifetime::Scoped => quote_spanned!(g.r.span()=> #private::SharedDeps::<#scope, #ty>::NOW),
            Lifetime::Value | Lifetime::Input => quote!(true),
        }
    });
    let collections_now = collections.iter().map(|_| quote!(false));
    let layers_now = layers.iter().map(|_| quote!(false));
    let name_str = name.to_string();
    let vis = &c.vis;
    quote_spanned! {name.span()=>
        #(#owned)*
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const #table: [::injectq::__private::Node; #count] = [#(#nodes,)* #(#collection_nodes,)* #(#layers),*];
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const #outlined_table: [bool; #count] = #private::outlined(&#table);
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const #settled_table: [bool; #count] =
            #private::settled(&#table, [#(#now,)* #(#collections_now,)* #(#layers_now),*]);

        #[allow(dead_code)]
        impl #name {
            /// The container's dependency graph: its registrations, their lifetimes and what each
            /// needs, to print as Mermaid (`to_mermaid()`) or DOT (`to_dot()`).
            #[must_use]
            #vis fn graph() -> ::injectq::Graph {
                ::injectq::__private::Graph::new(#name_str, &#table)
            }
        }

        const _: () = {
            let report = ::injectq::__private::check_graph(&#table);
            if let ::core::option::Option::Some(message) = report.message() {
                ::core::panic!("{}", message);
            }
        };
    }
}

/// The name of the graph table's `const`.
pub(super) fn table(c: &Container) -> syn::Ident {
    format_ident!("__INJECTQ_GRAPH_{}", c.name)
}

/// The name of the `const` that says which transients are built by a call of their own (see
/// `injectq`'s `graph::outlined`).
pub(super) fn outlined_table(c: &Container) -> syn::Ident {
    format_ident!("__INJECTQ_OUTLINED_{}", c.name)
}

/// The name of the `const` that says which registrations settle (see `injectq`'s
/// `graph::settled`).
pub(super) fn settled_table(c: &Container) -> syn::Ident {
    format_ident!("__INJECTQ_SETTLED_{}", c.name)
}

/// What the graph records as registration `g`'s dependencies: its builder's, through the impl
/// that proves it buildable (so a broken registration is reported there, once).
fn deps(c: &Container, g: &Reg<'_>) -> TokenStream {
    let (root, scope, ty) = (&c.name, super::kind_of(c, g.r), &g.r.ty);
    let private = quote_spanned!(g.r.span()=> ::injectq::__private);
    if let Some(target) = g.target {
        return quote!(&[#target]);
    }
    match g.r.lifetime {
        _ if g.r.inherited => quote!(&[]),
        // what a generic registration needs depends on its parameters: a loop through one is
        // found when it is created (a `Cycle` error), not here
        _ if g.r.generics.is_some() => quote!(&[]),
        // a module's private helper is built in the module's context
        _ if g.r.private.is_some() => {
            let cx = g.module_cx.as_ref().expect("a private helper is its module's");
            quote_spanned!(g.r.span()=> #private::SharedDeps::<#cx, #ty>::DEPS)
        }
        Lifetime::Value | Lifetime::Input => quote!(&[]),
        Lifetime::Singleton => quote_spanned!(g.r.span()=> #private::SharedDeps::<#root, #ty>::DEPS),
        Lifetime::Scoped => quote_spanned!(g.r.span()=> #private::SharedDeps::<#scope, #ty>::DEPS),
        Lifetime::Transient => quote_spanned!(g.r.span()=> #private::TransientDeps::<#scope, #ty>::DEPS),
    }
}

/// What decorator `i` of registration `g` needs, through the impl that proves it buildable.
fn layer_deps(c: &Container, g: &Reg<'_>, i: usize) -> TokenStream {
    let (root, scope, ty) = (&c.name, super::kind_of(c, g.r), &g.r.ty);
    let private = quote_spanned!(g.r.span()=> ::injectq::__private);
    match g.r.lifetime {
        Lifetime::Singleton => quote_spanned!(g.r.span()=> #private::SharedDeps::<#root, #ty>::LAYERS[#i]),
        Lifetime::Scoped => quote_spanned!(g.r.span()=> #private::SharedDeps::<#scope, #ty>::LAYERS[#i]),
        Lifetime::Transient => quote_spanned!(g.r.span()=> #private::TransientDeps::<#scope, #ty>::LAYERS[#i]),
        Lifetime::Value | Lifetime::Input => quote!(&[]),
    }
}
