//! `module!`: a named group of registrations, defined once (possibly in another crate) and
//! imported into containers with `import path::name;`.

mod expand;
mod parse;

use proc_macro2::TokenStream;

use crate::errors::{Code, with_code};

pub(crate) fn run(input: TokenStream) -> TokenStream {
    match syn::parse2::<parse::Module>(input) {
        Ok(module) => expand::expand(&module),
        Err(error) => with_code(error, Code::ModuleSyntax).to_compile_error(),
    }
}
