//! What `#[factory]` cannot call.

use syn::{FnArg, Type};

use super::parse::{Factory, Output};
use crate::errors::{Code, Errors};

pub(crate) fn validate(input: &Factory) -> syn::Result<()> {
    let mut errors = Errors::default();
    let sig = &input.item.sig;
    if !sig.generics.params.is_empty() {
        errors.at(
                Code::FactoryUsage,
            &sig.generics,
            "a factory cannot be generic: the container calls it with one concrete type per argument; write one factory per type",
        );
    }
    // the parameters in order, `#[arg]` ones marked: the caller gives those, so any owned or
    // `'static` type will do
    let mut caller = input.args.iter().map(|a| a.caller);
    for arg in &sig.inputs {
        let given_by_caller = matches!(arg, FnArg::Typed(_)) && caller.next().unwrap_or(false);
        match arg {
            FnArg::Receiver(r) => errors.at(
                Code::FactoryUsage,
                r,
                "a factory is a free function, not a method: the container has no `self` to pass",
            ),
            FnArg::Typed(t) if given_by_caller => {
                if let Type::Reference(r) = &*t.ty
                    && r.lifetime.as_ref().is_none_or(|l| l.ident != "static")
                {
                    errors.at(
                        Code::BorrowedService,
                        &t.ty,
                        "a caller's argument is moved into the factory's future: take an owned type (or a `'static` reference)",
                    );
                }
            }
            FnArg::Typed(t) => {
                if let Type::Reference(r) = &*t.ty {
                    let inner = crate::names::display(&r.elem);
                    errors.at(
                        Code::BorrowedService,
                        &t.ty,
                        format!("a factory argument must be owned: the container hands out `Arc<{inner}>`, not `&{inner}`; take `Arc<{inner}>`"),
                    );
                }
            }
        }
    }
    let inner = input.args.iter().filter(|a| a.inner).count();
    if inner > 1 {
        errors.at(
            Code::FactoryUsage,
            &sig.ident,
            "a decorator takes one `#[inner]` parameter: the service it decorates",
        );
    }
    if inner > 0 && input.args.iter().any(|a| a.caller) {
        errors.at(
            Code::FactoryUsage,
            &sig.ident,
            "a factory is a decorator (`#[inner]`) or takes its caller's arguments (`#[arg]`), not both",
        );
    }
    if let Output::Unsupported(tokens) = &input.output {
        let message = if tokens.is_empty() {
            "a factory must return what it creates: add `-> T` or `-> Result<T, E>`"
        } else {
            "a factory must return a named type (`T` or `Result<T, E>`): the container stores it and needs its name"
        };
        if tokens.is_empty() {
            errors.at(Code::FactoryUsage, &sig.ident, message);
        } else {
            errors.at(Code::FactoryUsage, tokens, message);
        }
    }
    errors.finish()
}
