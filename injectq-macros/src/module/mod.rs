//! `module!`: a named group of registrations, defined once (possibly in another crate) and
//! imported into containers with `import path::name;`.

mod expand;
mod parse;

use proc_macro2::TokenStream;

pub(crate) fn run(input: TokenStream) -> TokenStream {
    match syn::parse2::<parse::Module>(input) {
        Ok(module) => expand::expand(&module),
        Err(error) => error.to_compile_error(),
    }
}
