//! What `#[inject(..)]` says about one field or parameter, shared by `#[injectable]` (fields)
//! and `#[inject]` (parameters): how its value is obtained, and the code that obtains it.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Path, Type};

/// How a field or parameter gets its value.
#[derive(Default)]
pub(crate) struct Spec {
    /// `token = K`: the value of token `K`
    pub(crate) token: Option<Path>,
    /// `fallback = expr`: used when the container declares the dependency `absent`
    pub(crate) fallback: Option<Expr>,
    /// `default` (`None`) or `default = expr` (`Some`): not injected at all
    pub(crate) default: Option<Option<Expr>>,
}

impl quote::ToTokens for Spec {
    /// What the spec names (a token, the expressions), for [`container_param`](crate::names::container_param).
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        self.token.to_tokens(tokens);
        self.fallback.to_tokens(tokens);
        if let Some(Some(default)) = &self.default {
            default.to_tokens(tokens);
        }
    }
}

/// Parses one `#[inject(..)]`. `allow_default`: fields may be `default`, parameters may not.
pub(crate) fn parse(attr: &Attribute, allow_default: bool) -> syn::Result<Spec> {
    let mut spec = Spec::default();
    if matches!(attr.meta, syn::Meta::Path(_)) {
        return Ok(spec);
    }
    let expected = if allow_default {
        "expected `default`, `default = expr`, `token = Token` or `fallback = expr`"
    } else {
        "expected `token = Token` or `fallback = expr`"
    };
    // syn's own errors (a missing `=`, a malformed expression) and the ones below, coded
    let parsed = attr.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let twice = || meta.error(format!("`{key}` is given twice"));
        match key.as_str() {
            "token" => {
                if spec.token.is_some() {
                    return Err(twice());
                }
                spec.token = Some(meta.value()?.parse()?);
            }
            "fallback" => {
                if spec.fallback.is_some() {
                    return Err(twice());
                }
                spec.fallback = Some(meta.value()?.parse()?);
            }
            "default" if allow_default => {
                if spec.default.is_some() {
                    return Err(twice());
                }
                spec.default = Some(if meta.input.peek(syn::Token![=]) { Some(meta.value()?.parse()?) } else { None });
            }
            _ => {
                return Err(meta.error(format!("unknown option `{}`; {expected}", crate::names::display(&meta.path))));
            }
        }
        Ok(())
    });
    parsed.map_err(|e| crate::errors::with_code(e, crate::errors::Code::InjectAttribute))?;
    if spec.default.is_some() && (spec.token.is_some() || spec.fallback.is_some()) {
        return Err(syn::Error::new_spanned(
            attr,
            crate::errors::coded(
                crate::errors::Code::InjectAttribute,
                "a `default` field is not injected, so it takes no `token` or `fallback`; use `fallback = expr` for a value used when the dependency is absent",
            ),
        ));
    }
    Ok(spec)
}

/// The code for one injected value of type `ty`, resolved from `container` (an expression of
/// type `&C`, where `C` is the generic container type).
pub(crate) struct Resolution {
    /// `C: Provide<..>`, or nothing for a `default` field
    pub(crate) bound: Option<TokenStream>,
    /// `C: GetNow<..>`, the same for `get`: what building by plain calls needs
    pub(crate) now_bound: Option<TokenStream>,
    /// the graph id of the dependency, or nothing
    pub(crate) node: Option<TokenStream>,
    /// `let #bind: #ty = ..;`
    pub(crate) statement: TokenStream,
    /// the same without awaiting, in a function returning `Option<..>` (`None` when the
    /// dependency cannot be provided now, or failed: see [`provided_now`])
    pub(crate) now_statement: TokenStream,
    /// `<C as Provide<..>>`, or nothing for a `default` field
    pub(crate) provider: Option<TokenStream>,
    /// for the runtime's `build_N`: what is asked of the container (nothing for a `default`
    /// field, which is not resolved), the name its value is bound to, and `let #bind: #ty = ..;`
    /// from it
    pub(crate) requested: Option<TokenStream>,
    pub(crate) resolved: Option<Ident>,
    pub(crate) from_resolved: TokenStream,
}

pub(crate) fn resolution(spec: &Spec, ty: &Type, bind: &Ident, c: &Ident, container: &TokenStream) -> Resolution {
    if let Some(default) = &spec.default {
        let statement = match default {
            None => quote_spanned!(ty.span()=> let #bind: #ty = ::core::default::Default::default();),
            Some(expr) => quote_spanned!(expr.span()=> let #bind: #ty = #expr;),
        };
        return Resolution {
            bound: None,
            now_bound: None,
            node: None,
            now_statement: statement.clone(),
            from_resolved: statement.clone(),
            statement,
            provider: None,
            requested: None,
            resolved: None,
        };
    }
    let requested = match &spec.token {
        Some(token) => quote_spanned!(token.span()=> ::injectq::__private::Tagged<#token>),
        None => quote!(#ty),
    };
    // spanned at the token, so a value of the wrong type is reported there
    let unwrap = |value: TokenStream| match &spec.token {
        Some(token) => quote_spanned!(token.span()=> <#token as ::injectq::__private::Carries<#ty>>::take(#value)),
        None => value,
    };
    let span = spec.token.as_ref().map_or_else(|| ty.span(), Spanned::span);
    // the resolved value's name in a chain of resolutions, one per field
    let chained = Ident::new(&format!("{bind}_resolved"), span);
    match &spec.fallback {
        None => {
            // resolved first, then unwrapped in tokens of its own, so that a token's value of the
            // wrong type is reported at the token
            let resolved = Ident::new("__resolved", span);
            let value = unwrap(quote_spanned!(span=> #resolved));
            let from_chain = unwrap(quote_spanned!(span=> #chained));
            let provider = quote!(<#c as ::injectq::__private::Provide<#requested>>);
            Resolution {
                bound: Some(quote_spanned!(span=> #c: ::injectq::__private::Provide<#requested>,)),
                now_bound: Some(quote_spanned!(span=> #c: ::injectq::__private::GetNow<#requested>,)),
                node: Some(quote!(#provider::NODE)),
                from_resolved: quote!(let #bind: #ty = #from_chain;),
                requested: Some(requested.clone()),
                resolved: Some(chained),
                statement: quote! {
                    let #resolved = #provider::provide(#container).await?;
                    let #bind: #ty = #value;
                },
                now_statement: {
                    let provided = provided_now(&provider, container);
                    quote! {
                        let #resolved = #provided;
                        let #bind: #ty = #value;
                    }
                },
                provider: Some(provider),
            }
        }
        Some(fallback) => {
            let optional = quote!(::injectq::__private::Option<#requested>);
            let present = unwrap(quote!(__present));
            let provider = quote!(<#c as ::injectq::__private::Provide<#optional>>);
            let choose = quote! {
                ::injectq::__private::Option::Some(__present) => #present,
                ::injectq::__private::Option::None => #fallback,
            };
            Resolution {
                bound: Some(quote_spanned!(span=> #c: ::injectq::__private::Provide<#optional>,)),
                now_bound: Some(quote_spanned!(span=> #c: ::injectq::__private::GetNow<#optional>,)),
                node: Some(quote!(#provider::NODE)),
                from_resolved: quote!(let #bind: #ty = match #chained { #choose };),
                requested: Some(optional.clone()),
                resolved: Some(chained),
                statement: quote! {
                    let #bind: #ty = match #provider::provide(#container).await? { #choose };
                },
                now_statement: {
                    let provided = provided_now(&provider, container);
                    quote!(let #bind: #ty = match #provided { #choose };)
                },
                provider: Some(provider),
            }
        }
    }
}

/// Whether every dependency can be had without awaiting: `true && P1::now_ready(c) && ..`, each
/// `P` a `<C as Provide<T>>`. The body of a `now_ready` written inline (by `#[injectable]` for
/// more fields than the runtime's `ready_N` takes, and by `#[factory]`).
pub(crate) fn now_ready_body<'a>(
    providers: impl IntoIterator<Item = &'a TokenStream>,
    container: &TokenStream,
) -> TokenStream {
    let providers = providers.into_iter();
    quote!(true #(&& #providers::now_ready(#container))*)
}

/// The creation of the first dependency that is not created yet, started as the function's
/// `__starts` allows: the body of a `pending` written inline (see [`now_ready_body`]).
pub(crate) fn pending_body<'a>(
    providers: impl IntoIterator<Item = &'a TokenStream>,
    container: &TokenStream,
) -> TokenStream {
    let providers = providers.into_iter();
    quote! {
        #(
            if let ::injectq::__private::Option::Some(pending) = #providers::pending(#container, __starts) {
                return ::injectq::__private::Option::Some(pending);
            }
        )*
        ::injectq::__private::Option::None
    }
}

/// One dependency had without awaiting, in a function returning `Option<..>` that has its
/// failure slot as `__failed`: its value, or that function's `None` (when it cannot be had now,
/// or failed, its error then left in `__failed`).
pub(crate) fn provided_now(provider: &TokenStream, container: &TokenStream) -> TokenStream {
    quote!(#provider::provide_now(#container, __failed)?)
}
