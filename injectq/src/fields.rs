//! How `#[injectable]` builds a struct: one call of a generic function written here, per number of
//! injected fields, with the field types and a closure that makes the struct from their values.
//!
//! A struct's `build` is then a call, not an `async` block of its own: the compiler checks an
//! `async` block as a state machine of its own (its layout, what it holds across each await, its
//! borrows), which costs milliseconds per struct, and a large graph has hundreds. These functions
//! are checked once; each struct only instantiates them.
//!
//! ```text
//! fn build(c: &C) -> impl Future<Output = Result<Self>> + Send {
//!     fields::build_2::<C, Arc<Pool>, Tagged<Retries>, Self, _>(c, |pool, retries| Repo { pool, retries: retries.0 })
//! }
//! ```
//!
//! Fields are resolved one after the other, in declaration order; the first failure is returned.

use crate::slot::{Pending, Starts};
use crate::{Error, Provide, Result};

/// Writes `build_N` (async), `now_N` (without awaiting), `ready_N` and `pending_N` for `N`
/// injected fields.
macro_rules! arity {
    ($build:ident, $now:ident, $ready:ident, $pending:ident: $($field:ident: $ty:ident),*) => {
        /// Resolves the fields from `c`, in order, then makes the struct from them.
        #[inline]
        #[allow(non_snake_case, clippy::too_many_arguments, unused_variables)]
        pub async fn $build<C, $($ty,)* S, M>(c: &C, make: M) -> Result<S>
        where
            C: Sync $(+ Provide<$ty>)*,
            M: FnOnce($($ty),*) -> S,
        {
            $(let $field = <C as Provide<$ty>>::provide(c).await?;)*
            Ok(make($($field),*))
        }

        /// The same without awaiting: `None` if a field cannot be had now, or failed (its error
        /// then left in `failed`: see [`Provide::provide_now`]).
        #[inline]
        #[allow(non_snake_case, clippy::too_many_arguments, unused_variables)]
        pub fn $now<C, $($ty,)* S, M>(c: &C, failed: &mut Option<Error>, make: M) -> Option<S>
        where
            C: Sync $(+ Provide<$ty>)*,
            M: FnOnce($($ty),*) -> S,
        {
            $(let $field = <C as Provide<$ty>>::provide_now(c, failed)?;)*
            Some(make($($field),*))
        }

        /// Whether every field can be had without awaiting.
        #[inline]
        #[allow(unused_variables)]
        pub fn $ready<C, $($ty,)*>(c: &C) -> bool
        where
            C: Sync $(+ Provide<$ty>)*,
        {
            true $(&& <C as Provide<$ty>>::now_ready(c))*
        }

        /// The creation of the first shared dependency that is not created yet, started as
        /// `starts` allows.
        #[inline]
        #[allow(unused_variables)]
        pub fn $pending<C, $($ty,)*>(c: &C, starts: Starts) -> Option<Pending<'_>>
        where
            C: Sync $(+ Provide<$ty>)*,
        {
            $(
                if let Some(pending) = <C as Provide<$ty>>::pending(c, starts) {
                    return Some(pending);
                }
            )*
            None
        }
    };
}

arity!(build_0, now_0, ready_0, pending_0:);
arity!(build_1, now_1, ready_1, pending_1: a: A);
arity!(build_2, now_2, ready_2, pending_2: a: A, b: B);
arity!(build_3, now_3, ready_3, pending_3: a: A, b: B, c1: C1);
arity!(build_4, now_4, ready_4, pending_4: a: A, b: B, c1: C1, d: D);
arity!(build_5, now_5, ready_5, pending_5: a: A, b: B, c1: C1, d: D, e: E);
arity!(build_6, now_6, ready_6, pending_6: a: A, b: B, c1: C1, d: D, e: E, f: F);
arity!(build_7, now_7, ready_7, pending_7: a: A, b: B, c1: C1, d: D, e: E, f: F, g: G);
arity!(build_8, now_8, ready_8, pending_8: a: A, b: B, c1: C1, d: D, e: E, f: F, g: G, h: H);
arity!(build_9, now_9, ready_9, pending_9: a: A, b: B, c1: C1, d: D, e: E, f: F, g: G, h: H, i: I);
arity!(build_10, now_10, ready_10, pending_10: a: A, b: B, c1: C1, d: D, e: E, f: F, g: G, h: H, i: I, j: J);
arity!(build_11, now_11, ready_11, pending_11: a: A, b: B, c1: C1, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K);
arity!(build_12, now_12, ready_12, pending_12: a: A, b: B, c1: C1, d: D, e: E, f: F, g: G, h: H, i: I, j: J, k: K, l: L);

#[cfg(test)]
mod tests {
    use super::*;

    /// Provides `u8` (ready now once `ready`), and `&'static str` (never now), and fails `u16`
    /// (also without awaiting).
    struct Numbers {
        ready: bool,
    }

    impl Provide<u8> for Numbers {
        fn sealed(_: crate::provide::Sealed) {}
        const NODE: usize = 0;
        const NOW: bool = true;
        fn now_ready(&self) -> bool {
            self.ready
        }
        fn provide_now(&self, _: &mut Option<Error>) -> Option<u8> {
            self.ready.then_some(7)
        }
        async fn provide(&self) -> Result<u8> {
            Ok(7)
        }
    }

    impl Provide<&'static str> for Numbers {
        fn sealed(_: crate::provide::Sealed) {}
        const NODE: usize = 1;
        async fn provide(&self) -> Result<&'static str> {
            Ok("seven")
        }
    }

    impl Provide<u16> for Numbers {
        fn sealed(_: crate::provide::Sealed) {}
        const NODE: usize = 2;
        const NOW: bool = true;
        fn now_ready(&self) -> bool {
            true
        }
        fn provide_now(&self, failed: &mut Option<Error>) -> Option<u16> {
            *failed = Some(Error::disposed("Numbers"));
            None
        }
        async fn provide(&self) -> Result<u16> {
            Err(Error::disposed("Numbers"))
        }
    }

    #[tokio::test]
    async fn the_fields_are_resolved_in_order_and_the_struct_made_from_them() {
        let c = Numbers { ready: true };
        let made = build_2::<_, u8, &str, _, _>(&c, |n, s| format!("{n} {s}")).await.unwrap();
        assert_eq!(made, "7 seven");
        let failed = build_2::<_, u16, u8, _, _>(&c, |a, b| u32::from(a) + u32::from(b)).await;
        assert!(failed.is_err(), "the first failure is returned");
    }

    #[test]
    fn without_awaiting_a_struct_is_made_only_when_every_field_is_ready() {
        let ready = Numbers { ready: true };
        assert!(ready_1::<_, u8>(&ready));
        let mut failed = None;
        assert_eq!(now_1::<_, u8, _, _>(&ready, &mut failed, |n| n + 1), Some(8));
        assert!(!ready_2::<_, u8, &str>(&ready), "a field that must be awaited is never ready now");
        assert!(now_2::<_, u8, &str, _, _>(&ready, &mut failed, |n, _| n).is_none());
        let later = Numbers { ready: false };
        assert!(!ready_1::<_, u8>(&later));
        assert!(now_1::<_, u8, _, _>(&later, &mut failed, |n| n).is_none());
        assert!(failed.is_none(), "what cannot be had now is not a failure");
        let made = now_2::<_, u8, u16, _, _>(&ready, &mut failed, |a, b| u32::from(a) + u32::from(b));
        assert!(made.is_none());
        assert_eq!(failed.map(|e| e.kind()), Some(crate::ErrorKind::Disposed), "a failure is left in `failed`");
    }
}
