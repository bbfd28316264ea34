//! Errors are collected, not returned at the first: a user with three mistakes sees three
//! messages in one build.

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::fmt::Display;

/// Every error found in one macro input.
#[derive(Default)]
pub(crate) struct Errors {
    combined: Option<syn::Error>,
}

impl Errors {
    /// Records `message`, pointed at `tokens`.
    pub(crate) fn at(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error that already has its span.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(all) => all.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// `Ok` if nothing was recorded.
    pub(crate) fn finish(self) -> Result<(), syn::Error> {
        self.combined.map_or(Ok(()), Err)
    }
}

/// What an attribute macro emits when its input is wrong: the user's item, cleaned of the
/// macro's own helper attributes so that nothing else fails on them, beside the errors. The rest
/// of the crate, and the editor, keep working.
pub(crate) fn with_item(item: impl ToTokens, error: &syn::Error) -> TokenStream {
    let mut out = error.to_compile_error();
    item.to_tokens(&mut out);
    out
}
