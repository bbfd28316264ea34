//! `#[inject] async fn ..` to [`InjectFn`]: which parameters are injected.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{FnArg, Item, ItemFn};

use crate::errors::{Code, Errors};
use crate::spec::Spec;

/// An `async fn` with injected parameters.
pub(crate) struct InjectFn {
    /// the function, with the `#[inject]` parameter attributes removed
    pub(crate) item: ItemFn,
    /// one entry per parameter, in order: how it is injected, if it is
    pub(crate) injected: Vec<Option<Spec>>,
    /// where the first `#[inject]` marks were, for messages
    pub(crate) any_marked: bool,
}

type Failure = (TokenStream, syn::Error);

pub(crate) fn parse(args: TokenStream, item: TokenStream) -> Result<InjectFn, Failure> {
    let mut errors = Errors::default();
    let mut item = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(f)) => f,
        Ok(Item::Struct(s)) => {
            let error = syn::Error::new_spanned(
                s.struct_token,
                crate::errors::coded(
                    crate::errors::Code::InjectUsage,
                    "`#[inject]` goes on an `async fn`; to have a struct's fields resolved, put `#[injectable]` on the struct",
                ),
            );
            return Err((s.into_token_stream(), error));
        }
        Ok(other) => {
            let error = syn::Error::new_spanned(
                &other,
                crate::errors::coded(
                    crate::errors::Code::InjectUsage,
                    "`#[inject]` goes on an `async fn` whose parameters are resolved from a container",
                ),
            );
            return Err((other.into_token_stream(), error));
        }
        Err(error) => return Err((item, error)),
    };
    if !args.is_empty() {
        errors.at(
            Code::InjectUsage,
            &args,
            "`#[inject]` on a function takes no options: mark the injected parameters with `#[inject]` instead",
        );
    }
    let mut injected = Vec::new();
    for arg in &mut item.sig.inputs {
        let attrs = match arg {
            FnArg::Typed(t) => &mut t.attrs,
            FnArg::Receiver(r) => &mut r.attrs,
        };
        let mut spec: Option<Spec> = None;
        attrs.retain(|attr| {
            if !attr.path().is_ident("inject") {
                return true;
            }
            if spec.is_some() {
                errors.at(Code::InjectUsage, attr, "this parameter is already marked `#[inject]`");
                return false;
            }
            match crate::spec::parse(attr, false) {
                Ok(s) => spec = Some(s),
                Err(error) => {
                    errors.push(error);
                    spec = Some(Spec::default());
                }
            }
            false
        });
        injected.push(spec);
    }
    let any_marked = injected.iter().any(Option::is_some);
    match errors.finish() {
        Ok(()) => Ok(InjectFn { item, injected, any_marked }),
        Err(error) => Err((item.into_token_stream(), error)),
    }
}
