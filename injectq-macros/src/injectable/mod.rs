//! `#[injectable]`: writes `impl<C> Injectable<C> for Struct`, resolving every field from `C`.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::{Code, with_code, with_item};

pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = match parse::parse(args, item) {
        Ok(parsed) => parsed,
        Err((cleaned, error)) => return with_item(cleaned, &with_code(error, Code::InjectableUsage)),
    };
    if let Err(error) = validate::validate(&parsed) {
        return with_item(&parsed.item, &with_code(error, Code::InjectableUsage));
    }
    expand::expand(&parsed)
}
