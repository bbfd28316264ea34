//! `#[factory]`: a function whose arguments are resolved from the container; writes a companion
//! type with the function's name that implements `Factory<C>`.

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
