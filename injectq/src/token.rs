//! Named tokens: a marker type that names a value type, so that two values of one type (two
//! `String`s, say) cannot be confused, checked by the compiler.

use std::fmt;
use std::ops::Deref;

/// A named value: `token!(pub ApiKey: String);` declares `ApiKey`, whose value is a `String`.
/// Several tokens can name values of the same type without being confused.
///
/// A token is also how its value is handed to the container: `App::new(ApiKey(key))`, so that
/// two values of one type cannot be swapped.
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-token] `{Self}` is not a token",
    label = "not declared with `token!`",
    note = "declare it with `injectq::token!`, with its value type (`token! {{ pub ApiKey: String; }}`): `token K;` registers a token, whose value `App::new` takes as `K(value)`; a plain type is registered with `value`"
)]
pub trait Token: Send + Sync + 'static {
    /// The type of the value it names.
    type Value: Clone + Send + Sync + 'static;
    /// Its name, for messages.
    const NAME: &'static str;
    /// The value it carries.
    fn value(&self) -> &Self::Value;
}

/// The value of token `K`, as a container provides it: inject it with
/// `#[inject(token = ApiKey)] key: String`, or resolve `Tagged<ApiKey>`.
pub struct Tagged<K: Token>(pub K::Value);

impl<K: Token> Tagged<K> {
    /// The value.
    pub fn into_inner(self) -> K::Value {
        self.0
    }
}

impl<K: Token> Deref for Tagged<K> {
    type Target = K::Value;
    fn deref(&self) -> &K::Value {
        &self.0
    }
}

impl<K: Token> Clone for Tagged<K> {
    fn clone(&self) -> Self {
        Tagged(self.0.clone())
    }
}

/// Prints the token's name, never its value, as the token does (a value is often a secret):
/// `Tagged<ApiKey>(..)`.
impl<K: Token> fmt::Debug for Tagged<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tagged<{}>(..)", K::NAME)
    }
}

/// A token whose value is a `V`: how an injected field or parameter marked
/// `#[inject(token = K)]` takes its value, so that a field of another type is reported at the
/// token, naming both (rather than as mismatched types, with rustc's advice to convert the
/// token).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "[injectq::token-value] token `{Self}` does not carry a `{V}`",
    label = "the field is a `{V}`, which is not the value type of `{Self}`",
    note = "a field marked `#[inject(token = K)]` has the value type that `token!` declares for `K` (its declaration is shown above)"
)]
pub trait Carries<V>: Token + Sized {
    /// The value, out of its `Tagged`.
    fn take(tagged: Tagged<Self>) -> V;
}

// not recommended: the message names the token and the field's type, in the user's terms
#[diagnostic::do_not_recommend]
impl<K: Token<Value = V>, V> Carries<V> for K {
    fn take(tagged: Tagged<K>) -> V {
        tagged.0
    }
}

/// Declares named tokens: marker types that each name a value type.
///
/// ```
/// injectq::token! {
///     /// The API key of the payment provider.
///     pub ApiKey: String;
///     pub DatabaseUrl: String;
///     pub Retries: u32;
/// }
/// ```
///
/// Each token is a struct that carries its value: `pub struct ApiKey(pub String);`. Register one
/// with `token ApiKey;`, and its value is an argument of `App::new`, given as the token:
/// `App::new(ApiKey(key), DatabaseUrl(url))`, so that two `String`s cannot be swapped (that is a
/// compile error). Or register it with a factory, `token ApiKey = make_key;`. Inject it with
/// `#[inject(token = ApiKey)] key: String`, or resolve `Tagged<ApiKey>`.
///
/// A token's `Debug` prints its name, never its value (a key is often a secret).
#[macro_export]
macro_rules! token {
    ($($(#[$meta:meta])* $vis:vis $name:ident : $value:ty;)+) => {$(
        $(#[$meta])*
        #[derive(Clone)]
        $vis struct $name(pub $value);

        impl $crate::Token for $name {
            type Value = $value;
            const NAME: &'static str = ::core::stringify!($name);
            fn value(&self) -> &$value {
                &self.0
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(::core::concat!(::core::stringify!($name), "(..)"))
            }
        }
    )+};
    ($(#[$meta:meta])* $vis:vis $name:ident : $value:ty) => {
        $crate::token! { $(#[$meta])* $vis $name: $value; }
    };
}

#[cfg(test)]
mod tests {
    crate::token! {
        pub(super) ApiKey: String;
    }

    #[test]
    fn neither_a_token_nor_its_tagged_value_prints_the_value() {
        let key = ApiKey("sk_live_secret".into());
        assert_eq!(format!("{key:?}"), "ApiKey(..)");
        let tagged: super::Tagged<ApiKey> = super::Tagged(key.0.clone());
        assert_eq!(format!("{tagged:?}"), "Tagged<ApiKey>(..)");
        assert!(!format!("{tagged:#?}").contains("secret"));
    }
}
