//! Procedural macros of [injectq](https://docs.rs/injectq). Use them through the `injectq`
//! crate, which re-exports them next to the runtime they generate code for; their documentation
//! lives there.
//!
//! Each macro is a pipeline of three stages, one file each: `parse` (tokens to a typed model,
//! collecting every error), `validate` (what the model may not say) and `expand` (the code).
//! Generated code reaches the runtime only through `::injectq::__private`.

use proc_macro::TokenStream;

mod container;
mod errors;
mod factory;
mod inject;
mod injectable;
mod module;
mod names;
mod spec;

// documented where `injectq` re-exports it: rustdoc appends a doc written here to that page
#[allow(missing_docs)]
#[proc_macro_attribute]
pub fn injectable(args: TokenStream, item: TokenStream) -> TokenStream {
    injectable::run(args.into(), item.into()).into()
}

// documented where `injectq` re-exports it: rustdoc appends a doc written here to that page
#[allow(missing_docs)]
#[proc_macro_attribute]
pub fn factory(args: TokenStream, item: TokenStream) -> TokenStream {
    factory::run(args.into(), item.into()).into()
}

// documented where `injectq` re-exports it: rustdoc appends a doc written here to that page
#[allow(missing_docs)]
#[proc_macro_attribute]
pub fn inject(args: TokenStream, item: TokenStream) -> TokenStream {
    inject::run(args.into(), item.into()).into()
}

// documented where `injectq` re-exports it: rustdoc appends a doc written here to that page
#[allow(missing_docs)]
#[proc_macro]
pub fn container(input: TokenStream) -> TokenStream {
    container::run(input.into()).into()
}

// documented where `injectq` re-exports it: rustdoc appends a doc written here to that page
#[allow(missing_docs)]
#[proc_macro]
pub fn module(input: TokenStream) -> TokenStream {
    module::run(input.into()).into()
}
