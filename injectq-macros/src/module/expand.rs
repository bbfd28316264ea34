//! The module's macro: called by `container!` for `import`, it expands back into `container!`
//! with the module's registrations in place of the import. Paths written from the crate root
//! (`crate::db::Pool`) become `$crate::db::Pool`, so the module works from any crate.

use std::hash::{Hash, Hasher};

use proc_macro2::{Punct, Spacing, TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::parse::Module;

pub(crate) fn expand(m: &Module) -> TokenStream {
    let (attrs, vis, name) = (&m.attrs, &m.vis, &m.name);
    let registrations = with_dollar_crate(m.body.clone());
    // a name of its own at the crate root, where `#[macro_export]` puts it
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    m.body.to_string().hash(&mut hasher);
    name.to_string().hash(&mut hasher);
    let hidden = format_ident!("__injectq_module_{}_{:016x}", name, hasher.finish());
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
