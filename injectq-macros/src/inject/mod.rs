//! `#[inject]` on an `async fn`: the parameters marked `#[inject]` are resolved from a container
//! that the caller passes first; the others stay ordinary arguments.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = match parse::parse(args, item) {
        Ok(parsed) => parsed,
        Err((item, error)) => return crate::errors::with_item(item, &error),
    };
    if let Err(error) = validate::validate(&parsed) {
        return crate::errors::with_item(&parsed.item, &error);
    }
    expand::expand(&parsed)
}
