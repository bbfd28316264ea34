//! `import path::module;` in a container: the container hands its own tokens to the module's
//! macro, which expands back into `container!` with the module's registrations in place of the
//! import. The container then sees every registration, so every check runs as usual. One import
//! is expanded per round.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

/// If the declaration still has an `import`, the call to the first imported module's macro.
pub(crate) fn expand_first(input: &TokenStream) -> Option<TokenStream> {
    let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let body_at = tokens.iter().rposition(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))?;
    let TokenTree::Group(body) = &tokens[body_at] else { return None };
    let header: TokenStream = tokens[..body_at].iter().cloned().collect();
    let trailing: TokenStream = tokens[body_at + 1..].iter().cloned().collect();
    let segments = split_registrations(body.stream());
    let at = segments.iter().position(|s| matches!(s.first(), Some(TokenTree::Ident(i)) if i == "import"))?;
    let path: TokenStream = segments[at][1..].iter().filter(|t| !is_semicolon(t)).cloned().collect();
    let before: TokenStream = segments[..at].iter().flatten().cloned().collect();
    let after: TokenStream = segments[at + 1..].iter().flatten().cloned().collect();
    Some(quote! {
        #path! { { #header } { #before } { #after #trailing } }
    })
}

/// The body's registrations, each with its `;` (a `child` container ends with its braces).
fn split_registrations(body: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut segments = vec![Vec::new()];
    for tt in body {
        let end = is_semicolon(&tt) || matches!(&tt, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
        segments.last_mut().expect("never empty").push(tt);
        if end {
            segments.push(Vec::new());
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}

fn is_semicolon(tt: &TokenTree) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == ';')
}
