//! What `container!` writes, one file per part:
//!
//! - [`types`]: the root (`App`) and its scope (`AppScope`): handles to their states, whose
//!   `Send + Sync` is proven once (`ThreadSafe`);
//! - [`root_api`] and [`scope_api`]: their inherent methods (`new`, `resolve`, `create_scope`,
//!   `dispose`, ...);
//! - [`contexts`]: the one blanket `Provide` impl of each, and the traits through which the
//!   runtime's strategies and integrations reach them;
//! - [`registrations`]: per registration, impls that hold no logic: `Registered` (graph id,
//!   name, lifetime), and `Shared` / `Transient` / `Valued`, whose builder is checked here, where
//!   the container is declared;
//! - [`multi`] and [`absent`]: collections (`dyn Trait += Impl`) and `absent` declarations;
//! - [`graph`]: the table of the dependency graph, checked while compiling for cycles (a captive
//!   dependency is a type error, at the registration: the runtime's refusals), and `App::graph()`;
//! - [`provides`]: with `#[provides(AppServices)]`, the trait that stands for everything the
//!   container provides.
//!
//! Every piece that can fail to type-check for a broken registration carries that
//! registration's span, so the error points at the user's line.

mod absent;
mod contexts;
mod graph;
mod modules;
mod multi;
mod provides;
mod registrations;
mod root_api;
mod scope_api;
mod types;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::Type;
use syn::spanned::Spanned;

use super::parse::{Container, Lifetime, Registration, Source};
use crate::names::display;

/// One registration with what expansion needs to know about it.
pub(super) struct Reg<'a> {
    /// its id in the graph
    pub(super) node: usize,
    pub(super) r: &'a Registration,
    /// its field in the root's or the scope's state
    pub(super) field: Ident,
    /// the registered type as written, for messages
    pub(super) name: String,
    /// a shared binding (an alias): the graph id of its implementation's registration
    pub(super) target: Option<usize>,
    /// a registration of a module with private parts: the module's context beside the root
    /// (`AppMailModule`), where it is built
    pub(super) module_cx: Option<Ident>,
}

impl Reg<'_> {
    /// A shared binding: the instance of its implementation's registration, with no slot.
    pub(super) fn is_alias(&self) -> bool {
        self.target.is_some()
    }

    /// Registered as a trait object (`dyn Trait`).
    pub(super) fn is_dyn(&self) -> bool {
        matches!(self.r.ty, syn::Type::TraitObject(_))
    }

    /// A generic registration's impl parameters and where clause (`impl<T: Entity> .. for
    /// Repo<T> where ..`); empty for the others.
    pub(super) fn generic(&self) -> (TokenStream, TokenStream) {
        match &self.r.generics {
            Some(g) => {
                let (params, _, clause) = g.split_for_impl();
                (quote!(#params), quote!(#clause))
            }
            None => (TokenStream::new(), TokenStream::new()),
        }
    }

    /// What is stored: the registered type, or a token's value type.
    pub(super) fn stored(&self) -> TokenStream {
        let ty = &self.r.ty;
        if self.r.token { quote!(<#ty as ::injectq::__private::Token>::Value) } else { quote!(#ty) }
    }
}

pub(crate) fn expand(declared: &Container) -> TokenStream {
    let lowered = super::bindings::lower(declared);
    let c = &lowered;
    // an alias's implementation: the registration of that type that is not a binding
    let target = |imp: &Type| {
        let imp = display(imp);
        let registers = |r: &super::parse::Registration| display(&r.ty) == imp || super::parse::generic_fits(r, &imp);
        c.registrations.iter().position(|r| !r.token && !matches!(r.source, Source::Alias(_)) && registers(r))
    };
    let modules = modules::modules(c);
    let regs: Vec<Reg<'_>> = c
        .registrations
        .iter()
        .enumerate()
        .map(|(node, r)| Reg {
            module_cx: if r.inherited { None } else { modules::context_of(&modules, r).map(|m| m.cx.clone()) },
            node,
            r,
            field: format_ident!("r{}", node),
            name: display(&r.ty),
            target: match &r.source {
                Source::Alias(imp) => Some(target(imp).expect("a binding's implementation is registered once lowered")),
                _ => None,
            },
        })
        .collect();
    let collections = multi::collections(c, regs.len());
    // a child is derived from the declaration as written, and lowered with its own registrations
    let children = declared.children.iter().map(|child| expand(&derive_child(declared, child)));
    let types = types::expand(c, &regs);
    let root_api = root_api::expand(c, &regs);
    let scope_api = scope_api::expand(c);
    let contexts = contexts::expand(c);
    let registrations = regs.iter().map(|g| registrations::expand(c, g, &regs, &modules));
    let module_contexts = modules::expand(c, &modules);
    let multi = collections.iter().map(|col| multi::expand(c, col));
    let absent = absent::expand(c);
    let graph = graph::expand(c, &regs, &collections);
    let provides = provides::expand(c);
    let pickers = configs(c);
    quote! {
        #provides
        #pickers
        #module_contexts
        #(#children)*
        #types
        #root_api
        #scope_api
        #contexts
        #(#registrations)*
        #(#multi)*
        #absent
        #graph
    }
}

/// A child container as one declaration: its parent's registrations first (singletons, values
/// and tokens resolved from the parent instance, the others rebuilt in the child), then its own.
pub(crate) fn derive_child(parent: &Container, child: &Container) -> Container {
    // a child's scopes are of its own one kind: the parent's other kinds stay the parent's
    // a module's private helpers stay the parent's (a child has no module contexts)
    let inherited =
        parent.registrations.iter().filter(|r| r.kind.is_none() && r.private.is_none()).cloned().map(|mut r| {
            r.inherited = matches!(r.lifetime, Lifetime::Singleton | Lifetime::Value);
            r.dispose = if r.inherited { None } else { r.dispose };
            r.module = None;
            r
        });
    let registrations: Vec<_> = inherited.chain(child.registrations.iter().cloned()).collect();
    Container {
        attrs: child.attrs.clone(),
        vis: child.vis.clone(),
        name: child.name.clone(),
        scope: child.scope.clone(),
        provides: child.provides.clone(),
        generics: child.generics.clone(),
        absents: parent.absents.iter().chain(&child.absents).cloned().collect(),
        children: child.children.clone(),
        kinds: child.kinds.clone(),
        configs: child.configs.clone(),
        parent: Some(parent.name.clone()),
        from_parent: parent.registrations.iter().filter(|r| r.kind.is_none() && r.private.is_none()).count(),
        registrations,
    }
}

/// The kind of scope registration `r` lives in (a `scoped` service, an `input`) or is declared in
/// (a `transient`): a `scope` block's, or the container's own scope.
pub(super) fn kind_of<'a>(c: &'a Container, r: &'a Registration) -> &'a Ident {
    r.kind.as_ref().unwrap_or(&c.scope)
}

/// A kind of scope of the container, as expansion writes it.
pub(super) struct KindOut<'a> {
    /// the scope type
    pub(super) name: &'a Ident,
    /// its hidden state type (`JobScopeInstances`)
    pub(super) state: Ident,
    /// its docs (a `scope` block's)
    pub(super) attrs: &'a [syn::Attribute],
    /// the container's own scope (`create_scope`), not a `scope` block's
    pub(super) own: bool,
    /// the kind it is nested in (`None`: opened from the container)
    pub(super) parent: Option<&'a Ident>,
}

impl KindOut<'_> {
    /// The kinds it is nested in, innermost first.
    pub(super) fn ancestors<'k>(&self, kinds: &'k [KindOut<'_>]) -> Vec<&'k Ident> {
        let mut found = Vec::new();
        let mut at = self.parent;
        while let Some(parent) = at {
            let Some(kind) = kinds.iter().find(|k| k.name == parent) else { break };
            found.push(kind.name);
            at = kind.parent;
        }
        found
    }

    /// The disposal bags whose closing makes a scope of this kind unusable (see `injectq`'s
    /// `Bags`): its own, its outer scopes', innermost first, and its root's.
    pub(super) fn bags(&self, kinds: &[KindOut<'_>]) -> TokenStream {
        let mut path = quote!(self.__state);
        let mut bags = vec![quote!(&self.__state.bag)];
        for _ in self.ancestors(kinds) {
            path = quote!(#path.parent.__state);
            bags.push(quote!(&#path.bag));
        }
        bags.push(quote!(&self.__state.root.__state.bag));
        quote!([#(#bags),*])
    }
}

/// Every kind of scope of the container: its own first, then its `scope` blocks'.
pub(super) fn kinds(c: &Container) -> Vec<KindOut<'_>> {
    let own =
        KindOut { name: &c.scope, state: format_ident!("{}Instances", c.scope), attrs: &[], own: true, parent: None };
    let blocks = c.kinds.iter().map(|k| KindOut {
        name: &k.name,
        state: format_ident!("{}Instances", k.name),
        attrs: &k.attrs,
        own: false,
        parent: k.parent.as_ref(),
    });
    std::iter::once(own).chain(blocks).collect()
}

/// What a scope of the container is opened with, and how many `input` registrations it has: `()`
/// for none, the one input's type (`RequestId`), or a tuple in declaration order
/// (`(RequestId, Tenant)`); a trait object behind its `Arc`.
pub(super) fn inputs_tuple(c: &Container, kind: &Ident) -> (TokenStream, usize) {
    let types: Vec<_> = c
        .registrations
        .iter()
        .filter(|r| r.lifetime == Lifetime::Input && kind_of(c, r) == kind)
        .map(|r| {
            let ty = &r.ty;
            if matches!(ty, Type::TraitObject(_)) { quote!(::std::sync::Arc<#ty>) } else { quote!(#ty) }
        })
        .collect();
    let tuple = match types.as_slice() {
        [one] => one.clone(),
        all => quote!((#(#all,)*)),
    };
    (tuple, types.len())
}

/// The hidden state types of the root and the scope: `AppInstances`, `AppScopeInstances`, named to
/// be read in rustc's notes ("required because it appears within the type `AppInstances`").
pub(super) fn state_names(c: &Container) -> (Ident, Ident) {
    (format_ident!("{}Instances", c.name), format_ident!("{}Instances", c.scope))
}

/// `Arc<ty>` through the runtime's path.
pub(super) fn arc(ty: &Type) -> TokenStream {
    quote!(::injectq::__private::ArcType<#ty>)
}

/// How each listed field of a `config T { field: P };` is picked: a type per field whose
/// `ConfigPick<T>` copies it out (`Clone`, where the field is named, so that a field that is not
/// there or not `Clone` is reported on it).
fn configs(c: &Container) -> TokenStream {
    let vis = &c.vis;
    let mut out = TokenStream::new();
    for decl in &c.configs {
        let ty = &decl.ty;
        out.extend(quote::quote_spanned! {ty.span()=>
            // the one place that requires a configuration to load and validate
            const _: () = ::injectq::config::loadable::<#ty>();
        });
        for (field, part) in &decl.parts {
            let picker = decl.picker(&c.name, field);
            let doc = format!("Picks `{field}` out of `{}` (written by `container!`).", display(ty));
            let whole = format_ident!("whole");
            out.extend(quote::quote_spanned! {field.span()=>
                #[doc = #doc]
                #[doc(hidden)]
                #vis struct #picker;

                #[automatically_derived]
                #[doc(hidden)]
                impl ::injectq::config::ConfigPick<#ty> for #picker {
                    type Part = #part;
                    #[inline]
                    fn pick(#whole: &#ty) -> #part {
                        ::core::clone::Clone::clone(&#whole.#field)
                    }
                }
            });
        }
    }
    out
}
