//! `absent T;`: a dependency nobody provides. `Option<..>` of it is `None` in every shape it could
//! be asked for (`Arc<T>`, `Box<T>`, `Lazy<T>` through its `Registered` impl, and `T` by value, or
//! `Tagged<K>` for a token); asking for it without `Option` is a compile error that says so. A
//! type both registered and declared absent is refused in validation.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::super::parse::{Absent, Container};

pub(super) fn expand(c: &Container) -> TokenStream {
    let absents = c.absents.iter().map(|a| absent(c, a));
    quote!(#(#absents)*)
}

fn absent(c: &Container, a: &Absent) -> TokenStream {
    let (root, ty) = (&c.name, &a.ty);
    let private = quote!(::injectq::__private);
    let name = crate::names::display(ty);
    let span = a.keyword.span();
    // a struct can also be asked for by value (a transient's shape); a trait object or a token
    // cannot
    let by_value = (!a.token && !matches!(ty, syn::Type::TraitObject(_))).then(|| {
        quote_spanned! {span=>
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            #[doc(hidden)]
            impl #private::Shape<#root> for #private::Option<#ty> {
                type FromRoot = #private::NoneOf;
                type FromScope = #private::NoneOf;
                type FromModule = ::injectq::__private::Public;
            }
        }
    });
    quote_spanned! {span=>
        #[automatically_derived]
        #[doc(hidden)]
        impl #private::Registered<#root> for #ty {
            const NODE: usize = #private::NO_NODE;
            const NAME: &'static str = #name;
            type Lifetime = #private::AbsentKind;
            type Privacy = #private::Public;
        }

        #by_value
    }
}
