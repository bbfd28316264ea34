//! `#[injectable(..)] struct ..` to [`Injectable`]: options, fields and their `#[inject(..)]`.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Fields, Item, ItemStruct, Member, Path, Type};

use crate::spec::Spec;

use crate::errors::{Code, Errors};

/// A struct that `#[injectable]` builds.
pub(crate) struct Injectable {
    /// the struct, with the `#[inject(..)]` field attributes removed
    pub(crate) item: ItemStruct,
    /// `init = path`: an async hook run after construction
    pub(crate) init: Option<Path>,
    /// `dispose`: the container disposes it through its `AsyncDispose` impl
    pub(crate) dispose: Option<proc_macro2::Span>,
    pub(crate) fields: Vec<Field>,
}

pub(crate) struct Field {
    pub(crate) member: Member,
    pub(crate) ty: Type,
    /// `#[inject(..)]`: a token, a fallback, or not injected at all (`default`)
    pub(crate) spec: Spec,
}

/// On error: the item to emit anyway (cleaned), and the errors.
type Failure = (TokenStream, syn::Error);

pub(crate) fn parse(args: TokenStream, item: TokenStream) -> Result<Injectable, Failure> {
    let mut errors = Errors::default();
    let Options { init, dispose } = parse_args(args, &mut errors);
    let mut item = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Struct(s)) => s,
        Ok(other) => {
            let error = wrong_item(&other);
            return Err((other.into_token_stream(), error));
        }
        Err(error) => return Err((item, error)),
    };
    let fields = parse_fields(&mut item.fields, &mut errors);
    match errors.finish() {
        Ok(()) => Ok(Injectable { item, init, dispose, fields }),
        Err(error) => Err((item.into_token_stream(), error)),
    }
}

#[derive(Default)]
struct Options {
    init: Option<Path>,
    dispose: Option<proc_macro2::Span>,
}

fn parse_args(args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("init") {
            let path: Path = meta.value()?.parse()?;
            if options.init.is_some() {
                return Err(meta.error("`init` is given twice; keep one init hook"));
            }
            options.init = Some(path);
            Ok(())
        } else if meta.path.is_ident("dispose") {
            if meta.input.peek(syn::Token![=]) {
                return Err(meta.error(
                    "`dispose` takes no value: the container calls the type's `AsyncDispose` impl; for a hook of your choice, register the type with a factory and `dispose = hook`",
                ));
            }
            if options.dispose.is_some() {
                return Err(meta.error("`dispose` is given twice"));
            }
            options.dispose = Some(meta.path.span());
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown `#[injectable]` option `{}`; the options are `init = method` (an `async fn(&mut self) -> Result<(), E>` run after construction) and `dispose` (the container disposes it through its `AsyncDispose` impl)",
                crate::names::display(&meta.path)
            )))
        }
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, args) {
        errors.push(error);
    }
    options
}

fn wrong_item(item: &Item) -> syn::Error {
    let what = match item {
        Item::Enum(e) => (e.enum_token.span(), "an enum"),
        Item::Union(u) => (u.union_token.span(), "a union"),
        Item::Fn(f) => {
            return syn::Error::new(
                f.sig.fn_token.span(),
                "`#[injectable]` goes on a struct; for a function whose arguments are resolved from the container use `#[factory]` (it builds a service) or `#[inject]` (an async fn you call with a container)",
            );
        }
        Item::Impl(i) => (i.impl_token.span(), "an impl block"),
        Item::Trait(t) => (t.trait_token.span(), "a trait"),
        other => (other.span(), "this item"),
    };
    syn::Error::new(
        what.0,
        format!(
            "`#[injectable]` goes on a struct, not on {}: it writes how the struct is built from its fields",
            what.1
        ),
    )
}

fn parse_fields(fields: &mut Fields, errors: &mut Errors) -> Vec<Field> {
    let mut out = Vec::new();
    for (index, field) in fields.iter_mut().enumerate() {
        let member = match &field.ident {
            Some(ident) => Member::Named(ident.clone()),
            None => Member::Unnamed(index.into()),
        };
        let mut spec = Spec::default();
        let mut seen = false;
        field.attrs.retain(|attr| {
            if !attr.path().is_ident("inject") {
                return true;
            }
            if seen {
                errors.at(Code::InjectableUsage, attr, "this field already has an `#[inject(..)]` attribute; keep one");
                return false;
            }
            seen = true;
            if matches!(attr.meta, syn::Meta::Path(_)) {
                errors.at(
                Code::InjectableUsage,
                    attr,
                    "fields are injected without an attribute; `#[inject(..)]` on a field takes `default`, `default = expr`, `token = Token` or `fallback = expr`",
                );
                return false;
            }
            match crate::spec::parse(attr, true) {
                Ok(s) => spec = s,
                Err(error) => errors.push(error),
            }
            false
        });
        // a marker (`PhantomData<T>`, of a generic service) is never a service: its default
        if !seen && is_phantom(&field.ty) {
            spec.default = Some(None);
        }
        out.push(Field { member, ty: field.ty.clone(), spec });
    }
    out
}

/// `PhantomData<..>`, by any path (`std::marker::PhantomData<T>`).
fn is_phantom(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "PhantomData"))
}
