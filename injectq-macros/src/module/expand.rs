//! The module's macro: called by `container!` for `import`, it expands back into `container!`
//! with the module's registrations in place of the import. Paths written from the crate root
//! (`crate::db::Pool`) become `$crate::db::Pool`, so the module works from any crate.

use std::hash::{Hash, Hasher};

use proc_macro2::{Punct, Spacing, TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::parse::Module;

pub(crate) fn expand(m: &Module) -> TokenStream {
    let (attrs, vis, name) = (&m.attrs, &m.vis, &m.name);
    // a name of its own at the crate root, where `#[macro_export]` puts it
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    m.body.to_string().hash(&mut hasher);
    name.to_string().hash(&mut hasher);
    let hidden = format_ident!("__injectq_module_{}_{:016x}", name, hasher.finish());
    // a module with private parts marks its registrations as its own: the container builds
    // them where the private parts are reached
    let body = if m.private { tagged(m.body.clone(), name, &hidden) } else { m.body.clone() };
    let registrations = with_dollar_crate(body);
    let doc = format!(
        "The `{name}` module of registrations: `import` it into a `container!` (written by `injectq::module!`)."
    );
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #hidden {
            ({ $($header:tt)* } { $($before:tt)* } { $($after:tt)* }) => {
                ::injectq::container! { $($header)* { $($before)* #registrations $($after)* } }
            };
        }

        #(#attrs)*
        #[doc = #doc]
        #vis use #hidden as #name;
    }
}

/// `crate` in paths becomes `$crate`, which the module's macro resolves to the defining crate.
fn with_dollar_crate(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tt| -> Vec<TokenTree> {
            match tt {
                TokenTree::Ident(i) if i == "crate" => {
                    let mut dollar = Punct::new('$', Spacing::Alone);
                    dollar.set_span(i.span());
                    vec![TokenTree::Punct(dollar), TokenTree::Ident(i)]
                }
                TokenTree::Group(g) => {
                    let mut inner = proc_macro2::Group::new(g.delimiter(), with_dollar_crate(g.stream()));
                    inner.set_span(g.span());
                    vec![TokenTree::Group(inner)]
                }
                other => vec![other],
            }
        })
        .collect()
}

/// Each registration of the module's body as `in name ID: registration`; the other items
/// (`import`, `decorate`, `absent`, `scope` blocks) as they are.
fn tagged(body: TokenStream, name: &proc_macro2::Ident, id: &proc_macro2::Ident) -> TokenStream {
    const REGISTRATIONS: [&str; 8] =
        ["singleton", "hosted", "scoped", "transient", "value", "input", "token", "private"];
    let mut out = TokenStream::new();
    let mut segment: Vec<TokenTree> = Vec::new();
    let flush = |segment: &mut Vec<TokenTree>, out: &mut TokenStream| {
        let is_registration =
            matches!(segment.first(), Some(TokenTree::Ident(i)) if REGISTRATIONS.contains(&i.to_string().as_str()));
        if is_registration {
            out.extend(quote!(in #name #id:));
        }
        out.extend(segment.drain(..));
    };
    for tt in body {
        let end = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ';')
            || matches!(&tt, TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace)
                && !matches!(segment.first(), Some(TokenTree::Ident(i)) if REGISTRATIONS.contains(&i.to_string().as_str()));
        segment.push(tt);
        if end {
            flush(&mut segment, &mut out);
        }
    }
    flush(&mut segment, &mut out);
    out
}
