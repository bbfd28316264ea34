//! `container!`: declares a root container and its scope type from a list of registrations.

mod bindings;
mod expand;
mod imports;
pub(crate) mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::{Code, with_code};

pub(crate) fn run(input: TokenStream) -> TokenStream {
    if let Some(import) = imports::expand_first(&input) {
        return import;
    }
    let parsed = match syn::parse2::<parse::Container>(input) {
        Ok(parsed) => parsed,
        Err(error) => return with_code(error, Code::ContainerSyntax).to_compile_error(),
    };
    if let Err(error) = validate::validate_all(&parsed) {
        return with_code(error, Code::InvalidRegistration).to_compile_error();
    }
    expand::expand(&parsed)
}
