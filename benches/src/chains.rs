//! Transient chains by value at several depths (issue 28, deep graphs): link `n` holds link `n + 1`
//! by value and a number of its own (so that the chain is not a zero-sized value that costs
//! nothing to build); the container resolves the head, and the hand-written mirror is the nested
//! struct literals. One macro writes each depth's links, container and literals.
#![allow(missing_docs, dead_code)]

/// A module `$module` with the chain of `$link`s (each with its number), the container `$app`
/// that declares each of them `transient`, and `hand()`, the same chain as nested literals.
macro_rules! chain {
    ($(#[$doc:meta])* $module:ident, $app:ident: $($link:ident $v:literal),+ $(,)?) => {
        $(#[$doc])*
        pub mod $module {
            use injectq::{container, injectable};

            links!($($link $v),+);

            container! {
                pub struct $app {
                    $(transient $link;)+
                }
            }

            /// The same chain, as the nested struct literals.
            #[inline(never)]
            pub fn hand() -> C000 {
                literal!($($link $v),+)
            }
        }
    };
}

/// The structs of a chain: each holds the next by value, the last only its number.
macro_rules! links {
    ($link:ident $v:literal) => {
        #[injectable]
        pub struct $link {
            #[inject(default = $v)]
            pub v: u32,
        }
    };
    ($link:ident $v:literal, $next:ident $($rest:tt)*) => {
        #[injectable]
        pub struct $link {
            pub next: $next,
            #[inject(default = $v)]
            pub v: u32,
        }

        links!($next $($rest)*);
    };
}

/// The nested literal of a chain.
macro_rules! literal {
    ($link:ident $v:literal) => {
        $link { v: $v }
    };
    ($link:ident $v:literal, $($rest:tt)+) => {
        $link { next: literal!($($rest)+), v: $v }
    };
}

chain! {
    /// A transient chain 16 deep.
    chain16, Chain16:
        C000 0, C001 1, C002 2, C003 3, C004 4, C005 5, C006 6, C007 7, C008 8, C009 9,
        C010 10, C011 11, C012 12, C013 13, C014 14, C015 15
}

chain! {
    /// A transient chain 32 deep.
    chain32, Chain32:
        C000 0, C001 1, C002 2, C003 3, C004 4, C005 5, C006 6, C007 7, C008 8, C009 9,
        C010 10, C011 11, C012 12, C013 13, C014 14, C015 15, C016 16, C017 17, C018 18, C019 19,
        C020 20, C021 21, C022 22, C023 23, C024 24, C025 25, C026 26, C027 27, C028 28, C029 29,
        C030 30, C031 31
}

chain! {
    /// A transient chain 50 deep.
    chain50, Chain50:
        C000 0, C001 1, C002 2, C003 3, C004 4, C005 5, C006 6, C007 7, C008 8, C009 9,
        C010 10, C011 11, C012 12, C013 13, C014 14, C015 15, C016 16, C017 17, C018 18, C019 19,
        C020 20, C021 21, C022 22, C023 23, C024 24, C025 25, C026 26, C027 27, C028 28, C029 29,
        C030 30, C031 31, C032 32, C033 33, C034 34, C035 35, C036 36, C037 37, C038 38, C039 39,
        C040 40, C041 41, C042 42, C043 43, C044 44, C045 45, C046 46, C047 47, C048 48, C049 49
}

chain! {
    /// A transient chain 100 deep.
    chain100, Chain100:
        C000 0, C001 1, C002 2, C003 3, C004 4, C005 5, C006 6, C007 7, C008 8, C009 9,
        C010 10, C011 11, C012 12, C013 13, C014 14, C015 15, C016 16, C017 17, C018 18, C019 19,
        C020 20, C021 21, C022 22, C023 23, C024 24, C025 25, C026 26, C027 27, C028 28, C029 29,
        C030 30, C031 31, C032 32, C033 33, C034 34, C035 35, C036 36, C037 37, C038 38, C039 39,
        C040 40, C041 41, C042 42, C043 43, C044 44, C045 45, C046 46, C047 47, C048 48, C049 49,
        C050 50, C051 51, C052 52, C053 53, C054 54, C055 55, C056 56, C057 57, C058 58, C059 59,
        C060 60, C061 61, C062 62, C063 63, C064 64, C065 65, C066 66, C067 67, C068 68, C069 69,
        C070 70, C071 71, C072 72, C073 73, C074 74, C075 75, C076 76, C077 77, C078 78, C079 79,
        C080 80, C081 81, C082 82, C083 83, C084 84, C085 85, C086 86, C087 87, C088 88, C089 89,
        C090 90, C091 91, C092 92, C093 93, C094 94, C095 95, C096 96, C097 97, C098 98, C099 99
}
