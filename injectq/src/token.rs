//! Named tokens: a marker type that names a value type, so that two values of one type (two
//! `String`s, say) cannot be confused, checked by the compiler.

use std::fmt;
use std::ops::Deref;

/// A named value: `token!(pub ApiKey: String);` declares `ApiKey`, whose value is a `String`.
/// Several tokens can name values of the same type without being confused.
pub trait Token: Send + Sync + 'static {
    /// The type of the value it names.
    type Value: Clone + Send + Sync + 'static;
    /// Its name, for messages.
    const NAME: &'static str;
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

impl<K: Token> fmt::Debug for Tagged<K>
where
    K::Value: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(K::NAME).field(&self.0).finish()
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
/// Register one with `token ApiKey;` (its value becomes an argument of `App::new`) or
/// `token ApiKey = make_key;` (a factory), inject it with `#[inject(token = ApiKey)] key: String`.
#[macro_export]
macro_rules! token {
    ($($(#[$meta:meta])* $vis:vis $name:ident : $value:ty;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;

        impl $crate::Token for $name {
            type Value = $value;
            const NAME: &'static str = ::core::stringify!($name);
        }
    )+};
    ($(#[$meta:meta])* $vis:vis $name:ident : $value:ty) => {
        $crate::token! { $(#[$meta])* $vis $name: $value; }
    };
}
