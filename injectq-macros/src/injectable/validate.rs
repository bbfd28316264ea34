//! What `#[injectable]` cannot build.

use syn::GenericParam;

use super::parse::Injectable;
use crate::errors::{Code, Errors};

pub(crate) fn validate(input: &Injectable) -> syn::Result<()> {
    let mut errors = Errors::default();
    for param in &input.item.generics.params {
        if let GenericParam::Lifetime(lt) = param {
            errors.at(
                Code::BorrowedService,
                lt,
                "an injectable struct cannot borrow: services are shared across tasks and must be `'static`; hold an `Arc<T>` instead of a reference",
            );
        }
    }
    errors.finish()
}
