//! What `#[inject]` cannot rewrite.

use syn::{FnArg, Type};

use super::parse::InjectFn;
use crate::errors::{Code, Errors};

pub(crate) fn validate(input: &InjectFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let sig = &input.item.sig;
    if sig.asyncness.is_none() {
        errors.at(
            Code::InjectUsage,
            sig.fn_token,
            "`#[inject]` needs an `async fn`: resolving from a container is asynchronous; write `async fn`",
        );
    }
    if !input.any_marked {
        errors.at(
                Code::InjectUsage,
            &sig.ident,
            "no parameter is marked `#[inject]`: mark those the container provides, e.g. `#[inject] users: Arc<UserService>`",
        );
    }
    for (arg, injected) in sig.inputs.iter().zip(&input.injected) {
        match arg {
            FnArg::Receiver(r) => errors.at(
                Code::InjectUsage,
                r,
                "`#[inject]` works on free functions, not methods: make it a free `async fn` taking the value as a parameter",
            ),
            FnArg::Typed(t) if injected.is_some() => {
                if let Type::Reference(r) = &*t.ty {
                    let inner = crate::names::display(&r.elem);
                    errors.at(
                        Code::BorrowedService,
                        &t.ty,
                        format!("an injected parameter must be owned: the container hands out `Arc<{inner}>`, not `&{inner}`"),
                    );
                }
            }
            FnArg::Typed(_) => {}
        }
    }
    errors.finish()
}
