//! Errors are collected, not returned at the first: a user with three mistakes sees three
//! messages in one build. Each begins with its stable code, `[injectq::<code>]`, which the
//! runtime's `injectq::diagnostics` page lists with an example and the fix.

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::fmt::Display;

/// The stable code of each kind of mistake that the macros report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    /// `container!`'s own syntax: a keyword, a missing `;`, the struct.
    ContainerSyntax,
    /// A registration whose parts do not go together (`value T = factory`, `=>` without `dyn`).
    InvalidRegistration,
    /// A type registered twice (or in a child and its parent).
    DuplicateRegistration,
    /// Two members of one map with the same key.
    DuplicateKey,
    /// A type registered and declared `absent`.
    AbsentConflict,
    /// `token K;` where `K` is not a token.
    NotAToken,
    /// `#[injectable]` on the wrong item, or with an unknown option.
    InjectableUsage,
    /// `#[inject(..)]` on a field or parameter, with options that do not go together.
    InjectAttribute,
    /// `#[inject]` on something other than a free `async fn` with a marked parameter.
    InjectUsage,
    /// `#[factory]` on something other than a free function that returns what it builds.
    FactoryUsage,
    /// A service, factory argument or injected parameter that borrows.
    BorrowedService,
    /// `module!`'s own syntax, or an `import` that cannot be.
    ModuleSyntax,
}

impl Code {
    /// The code as messages print it, after `injectq::`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Code::ContainerSyntax => "container-syntax",
            Code::InvalidRegistration => "invalid-registration",
            Code::DuplicateRegistration => "duplicate-registration",
            Code::DuplicateKey => "duplicate-key",
            Code::AbsentConflict => "absent-conflict",
            Code::NotAToken => "not-a-token",
            Code::InjectableUsage => "injectable-usage",
            Code::InjectAttribute => "inject-attribute",
            Code::InjectUsage => "inject-usage",
            Code::FactoryUsage => "factory-usage",
            Code::BorrowedService => "borrowed-service",
            Code::ModuleSyntax => "module-syntax",
        }
    }
}

/// `message` with `code` in front, as every injectq message begins.
pub(crate) fn coded(code: Code, message: impl Display) -> String {
    format!("[injectq::{}] {message}", code.name())
}

/// `error`, each of whose messages begins with a code: `code` for those that have none yet
/// (syn's own, such as "expected `;`").
pub(crate) fn with_code(error: syn::Error, code: Code) -> syn::Error {
    let mut all = Errors::default();
    for e in error {
        let message = e.to_string();
        if message.starts_with("[injectq::") {
            all.push(e);
        } else {
            all.push(syn::Error::new(e.span(), coded(code, message)));
        }
    }
    all.combined.expect("a syn::Error holds at least one message")
}

/// Every error found in one macro input.
#[derive(Default)]
pub(crate) struct Errors {
    combined: Option<syn::Error>,
}

impl Errors {
    /// Records `message`, with its `code`, pointed at `tokens`.
    pub(crate) fn at(&mut self, code: Code, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, coded(code, message)));
    }

    /// Records an error that already has its span.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(all) => all.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// `Ok` if nothing was recorded.
    pub(crate) fn finish(self) -> Result<(), syn::Error> {
        self.combined.map_or(Ok(()), Err)
    }
}

/// What an attribute macro emits when its input is wrong: the user's item, cleaned of the
/// macro's own helper attributes so that nothing else fails on them, beside the errors. The rest
/// of the crate, and the editor, keep working.
pub(crate) fn with_item(item: impl ToTokens, error: &syn::Error) -> TokenStream {
    let mut out = error.to_compile_error();
    item.to_tokens(&mut out);
    out
}
