//! Names for messages and generated identifiers.

use quote::ToTokens;

/// A type or path as a person writes it: `Arc<dyn UserRepo>`, not `Arc < dyn UserRepo >`.
pub(crate) fn display(tokens: &impl ToTokens) -> String {
    let raw = tokens.to_token_stream().to_string();
    // a module's paths reach a container as `$crate::..`: the crate is the reader's context
    let raw = raw.replace("$crate :: ", "").replace("$ crate :: ", "");
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let tight_after = matches!(prev, Some('<' | ':' | '&' | '(' | '['));
            let tight_before = matches!(next, Some('<' | '>' | ':' | ',' | ')' | ']' | '('));
            if tight_after || tight_before {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The name of the container parameter that generated impls add (`impl<C> Recipe<C> for Repo`),
/// free in `item` (the user's struct or function): `C`, which reads best where rustc prints it
/// ("the trait `Recipe<C>` is implemented for `Repo`"), or a longer one when the item already
/// names a `C` (its own generic parameter, or a type of that name), which `C` would shadow.
pub(crate) fn container_param(item: &impl ToTokens) -> proc_macro2::Ident {
    fn names(tokens: proc_macro2::TokenStream, name: &str) -> bool {
        tokens.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) => i == name,
            proc_macro2::TokenTree::Group(g) => names(g.stream(), name),
            _ => false,
        })
    }
    let tokens = item.to_token_stream();
    let name = ["C", "Ctr", "Container"].into_iter().find(|n| !names(tokens.clone(), n)).unwrap_or("__C");
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// `UserService` -> `user_service`, for constructor arguments.
/// The last segment of a type's path, or of a trait object's first trait: `Mailer` for
/// `dyn crate::mail::Mailer`, `Repo` for `Repo<Note>`. For the names of the types written for a
/// registration, read in rustc's notes.
pub(crate) fn last_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::TraitObject(t) => t.bounds.iter().find_map(|b| match b {
            syn::TypeParamBound::Trait(t) => t.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        }),
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `smtp_mail` as `SmtpMail`: a module's name in the names of the types written for it.
pub(crate) fn camel_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

pub(crate) fn snake_case(camel: &str) -> String {
    let chars: Vec<char> = camel.chars().collect();
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase() && i > 0 {
            let prev_lower = chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if (prev_lower || (next_lower && chars[i - 1].is_uppercase())) && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    let trimmed = out.trim_matches('_');
    if trimmed.is_empty() { "value".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_tightens_generics_and_paths() {
        let ty: syn::Type = syn::parse_quote!(std::sync::Arc<dyn UserRepo + Send>);
        assert_eq!(display(&ty), "std::sync::Arc<dyn UserRepo + Send>");
        let ty: syn::Type = syn::parse_quote!(HashMap<String, Vec<u8>>);
        assert_eq!(display(&ty), "HashMap<String, Vec<u8>>");
    }

    #[test]
    fn snake_case_splits_words() {
        assert_eq!(snake_case("UserService"), "user_service");
        assert_eq!(snake_case("Config"), "config");
        assert_eq!(snake_case("HTTPClient"), "http_client");
    }
}
