//! `#[inject]` on an `async fn`: the parameters marked `#[inject]` are resolved from a container
//! that the caller passes first; the others stay ordinary arguments.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::{Code, with_code, with_item};

pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = match parse::parse(args, item) {
        Ok(parsed) => parsed,
        Err((item, error)) => return with_item(item, &with_code(error, Code::InjectUsage)),
    };
    if let Err(error) = validate::validate(&parsed) {
        return with_item(&parsed.item, &with_code(error, Code::InjectUsage));
    }
    expand::expand(&parsed)
}
