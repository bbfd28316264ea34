//! `#[factory] fn ..` to [`Factory`]: its arguments and what it returns.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{GenericArgument, Item, ItemFn, PathArguments, ReturnType, Type};

/// A factory function.
pub(crate) struct Factory {
    pub(crate) item: ItemFn,
    /// the argument types, each resolved from the container, or (`#[arg]`) given by the caller
    pub(crate) args: Vec<Arg>,
    /// what the factory creates
    pub(crate) output: Output,
}

/// One parameter of the factory.
pub(crate) struct Arg {
    pub(crate) ty: Type,
    /// `#[arg]`: given by the caller (assisted injection), not resolved
    pub(crate) caller: bool,
    /// `#[inner]`: the service a decorator decorates, given by the container, not resolved
    pub(crate) inner: bool,
}

pub(crate) enum Output {
    /// `-> T`
    Value(Type),
    /// `-> Result<T, E>`: `T`; the error becomes the `injectq::Error`'s source
    Fallible(Type),
    /// `-> impl Trait`, or no return type: rejected in validation
    Unsupported(TokenStream),
}

type Failure = (TokenStream, syn::Error);

pub(crate) fn parse(args: TokenStream, item: TokenStream) -> Result<Factory, Failure> {
    let item = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(f)) => f,
        Ok(other) => {
            let error = syn::Error::new(
                item_keyword_span(&other),
                "`#[factory]` goes on a function: its arguments are resolved from the container and it returns the service (`T` or `Result<T, E>`); for a struct use `#[injectable]`",
            );
            return Err((other.into_token_stream(), error));
        }
        Err(error) => return Err((item, error)),
    };
    if !args.is_empty() {
        let error = syn::Error::new_spanned(
            &args,
            crate::errors::coded(
                crate::errors::Code::FactoryUsage,
                "`#[factory]` takes no options: write `#[factory]` alone",
            ),
        );
        return Err((item.into_token_stream(), error));
    }
    let mut item = item;
    let mut args = Vec::new();
    for arg in &mut item.sig.inputs {
        if let syn::FnArg::Typed(t) = arg {
            // `#[arg]` and `#[inner]` are the macro's: taken off the function it writes back
            let before = t.attrs.len();
            t.attrs.retain(|a| !a.path().is_ident("arg"));
            let caller = t.attrs.len() != before;
            let before = t.attrs.len();
            t.attrs.retain(|a| !a.path().is_ident("inner"));
            args.push(Arg { ty: (*t.ty).clone(), caller, inner: t.attrs.len() != before });
        }
    }
    let output = output_of(&item.sig.output);
    Ok(Factory { item, args, output })
}

fn item_keyword_span(item: &Item) -> proc_macro2::Span {
    match item {
        Item::Struct(s) => s.struct_token.span(),
        Item::Enum(e) => e.enum_token.span(),
        Item::Impl(i) => i.impl_token.span(),
        other => other.span(),
    }
}

fn output_of(ret: &ReturnType) -> Output {
    let mut ty = match ret {
        ReturnType::Default => return Output::Unsupported(ret.to_token_stream()),
        ReturnType::Type(_, ty) => ty,
    };
    // a type a `macro_rules!` was given as `$out:ty` comes wrapped in an invisible group
    while let Type::Group(group) = &**ty {
        ty = &group.elem;
    }
    if let Type::ImplTrait(_) = **ty {
        return Output::Unsupported(ty.to_token_stream());
    }
    if let Type::Path(p) = &**ty
        && let Some(last) = p.path.segments.last()
        && last.ident == "Result"
        && let PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(GenericArgument::Type(ok)) = args.args.first()
    {
        return Output::Fallible(ok.clone());
    }
    Output::Value((**ty).clone())
}
