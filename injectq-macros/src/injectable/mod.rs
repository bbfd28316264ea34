//! `#[injectable]`: writes `impl<C> Injectable<C> for Struct`, resolving every field from `C`.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = match parse::parse(args, item) {
        Ok(parsed) => parsed,
        Err((cleaned, error)) => return crate::errors::with_item(cleaned, &error),
    };
    if let Err(error) = validate::validate(&parsed) {
        return crate::errors::with_item(&parsed.item, &error);
    }
    expand::expand(&parsed)
}
