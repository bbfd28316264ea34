//! `#[factory]`: a function whose arguments are resolved from the container; writes a companion
//! type with the function's name that implements `Factory<C>`.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::{Code, with_code, with_item};

pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = match parse::parse(args, item) {
        Ok(parsed) => parsed,
        Err((item, error)) => return with_item(item, &with_code(error, Code::FactoryUsage)),
    };
    if let Err(error) = validate::validate(&parsed) {
        // the companion type too, so that a registration of the factory is not a second error
        let mut out = with_item(&parsed.item, &with_code(error, Code::FactoryUsage));
        out.extend(expand::fallback(&parsed));
        return out;
    }
    expand::expand(&parsed)
}
