//! ```text
//! module! {
//!     /// docs
//!     pub persistence {
//!         singleton crate::db::Pool = crate::db::open_pool;
//!         singleton dyn crate::db::UserRepo => crate::db::PgUserRepo;
//!     }
//! }
//! ```
//! The registrations are checked for their grammar here; everything else is checked in each
//! container that imports the module.

use proc_macro2::{Ident, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Visibility};

use crate::container::parse::{Absent, Registration};
use crate::errors::Errors;

pub(crate) struct Module {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    /// the registrations, as written
    pub(crate) body: TokenStream,
    /// whether it keeps private parts: then its registrations are written `in name ID: ..`
    pub(crate) private: bool,
}

impl Parse for Module {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let name: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the module's name: `module! { pub persistence { singleton crate::Pool; } }`",
            )
        })?;
        let content;
        syn::braced!(content in input);
        let body: TokenStream = content.fork().parse()?;
        let mut errors = Errors::default();
        let mut private = false;
        while !content.is_empty() {
            let keyword = content.fork().call(<Ident as syn::ext::IdentExt>::parse_any).ok();
            let parsed = match keyword.as_ref().map(ToString::to_string).as_deref() {
                Some("absent") => content.parse::<Absent>().map(drop),
                Some("decorate") => content.parse::<crate::container::parse::Decoration>().map(drop),
                Some("scope") => {
                    let attrs = content.call(Attribute::parse_outer)?;
                    crate::container::parse::parse_kind(&content, attrs, None, &mut errors).map(drop)
                }
                Some("private") => {
                    let keyword = content.call(<Ident as syn::ext::IdentExt>::parse_any)?;
                    private = true;
                    match content
                        .fork()
                        .call(<Ident as syn::ext::IdentExt>::parse_any)
                        .ok()
                        .map(|k| k.to_string())
                        .as_deref()
                    {
                        Some("singleton") => content.parse::<Registration>().map(drop),
                        _ => Err(syn::Error::new(
                            keyword.span(),
                            "a module keeps a `private singleton` (a pool, a client its services share); private scoped services, transients and values are not supported yet",
                        )),
                    }
                }
                Some("import") => {
                    content.call(<Ident as syn::ext::IdentExt>::parse_any)?;
                    content.parse::<syn::Path>()?;
                    content.parse::<syn::Token![;]>().map(drop)
                }
                _ => content.parse::<Registration>().map(drop),
            };
            if let Err(error) = parsed {
                errors.push(error);
                break;
            }
        }
        if !input.is_empty() {
            errors.push(input.error("unexpected tokens after the module's `{ .. }`: declare one module per `module!`"));
        }
        errors.finish()?;
        Ok(Module { attrs, vis, name, body, private })
    }
}
