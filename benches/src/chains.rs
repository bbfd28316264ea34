//! Transient chains by value at several depths (issue 28, deep graphs): link `n` holds link `n + 1`
//! by value and a number of its own (so that the chain is not a zero-sized value that costs
//! nothing to build); the container resolves the head, and the hand-written mirror is the nested
//! struct literals. Written out by a script (the idents of a 100-deep chain), kept as source.
#![allow(missing_docs, dead_code)]

use injectq::{container, injectable};

/// A transient chain 16 deep.
pub mod chain16 {
    use super::*;

    #[injectable]
    pub struct C000 {
        pub next: C001,
        #[inject(default = 0)]
        pub v: u32,
    }

    #[injectable]
    pub struct C001 {
        pub next: C002,
        #[inject(default = 1)]
        pub v: u32,
    }

    #[injectable]
    pub struct C002 {
        pub next: C003,
        #[inject(default = 2)]
        pub v: u32,
    }

    #[injectable]
    pub struct C003 {
        pub next: C004,
        #[inject(default = 3)]
        pub v: u32,
    }

    #[injectable]
    pub struct C004 {
        pub next: C005,
        #[inject(default = 4)]
        pub v: u32,
    }

    #[injectable]
    pub struct C005 {
        pub next: C006,
        #[inject(default = 5)]
        pub v: u32,
    }

    #[injectable]
    pub struct C006 {
        pub next: C007,
        #[inject(default = 6)]
        pub v: u32,
    }

    #[injectable]
    pub struct C007 {
        pub next: C008,
        #[inject(default = 7)]
        pub v: u32,
    }

    #[injectable]
    pub struct C008 {
        pub next: C009,
        #[inject(default = 8)]
        pub v: u32,
    }

    #[injectable]
    pub struct C009 {
        pub next: C010,
        #[inject(default = 9)]
        pub v: u32,
    }

    #[injectable]
    pub struct C010 {
        pub next: C011,
        #[inject(default = 10)]
        pub v: u32,
    }

    #[injectable]
    pub struct C011 {
        pub next: C012,
        #[inject(default = 11)]
        pub v: u32,
    }

    #[injectable]
    pub struct C012 {
        pub next: C013,
        #[inject(default = 12)]
        pub v: u32,
    }

    #[injectable]
    pub struct C013 {
        pub next: C014,
        #[inject(default = 13)]
        pub v: u32,
    }

    #[injectable]
    pub struct C014 {
        pub next: C015,
        #[inject(default = 14)]
        pub v: u32,
    }

    #[injectable]
    pub struct C015 {
        #[inject(default = 15)]
        pub v: u32,
    }

    container! {
        pub struct Chain16 {
            transient C000; transient C001; transient C002; transient C003; transient C004;
            transient C005; transient C006; transient C007; transient C008; transient C009;
            transient C010; transient C011; transient C012; transient C013; transient C014;
            transient C015;
        }
    }

    /// The same chain, as the nested struct literals.
    #[inline(never)]
    pub fn hand() -> C000 {
        C000 {
            next: C001 {
                next: C002 {
                    next: C003 {
                        next: C004 {
                            next: C005 {
                                next: C006 {
                                    next: C007 {
                                        next: C008 {
                                            next: C009 {
                                                next: C010 {
                                                    next: C011 {
                                                        next: C012 {
                                                            next: C013 {
                                                                next: C014 { next: C015 { v: 15 }, v: 14 },
                                                                v: 13,
                                                            },
                                                            v: 12,
                                                        },
                                                        v: 11,
                                                    },
                                                    v: 10,
                                                },
                                                v: 9,
                                            },
                                            v: 8,
                                        },
                                        v: 7,
                                    },
                                    v: 6,
                                },
                                v: 5,
                            },
                            v: 4,
                        },
                        v: 3,
                    },
                    v: 2,
                },
                v: 1,
            },
            v: 0,
        }
    }
}

/// A transient chain 32 deep.
pub mod chain32 {
    use super::*;

    #[injectable]
    pub struct C000 {
        pub next: C001,
        #[inject(default = 0)]
        pub v: u32,
    }

    #[injectable]
    pub struct C001 {
        pub next: C002,
        #[inject(default = 1)]
        pub v: u32,
    }

    #[injectable]
    pub struct C002 {
        pub next: C003,
        #[inject(default = 2)]
        pub v: u32,
    }

    #[injectable]
    pub struct C003 {
        pub next: C004,
        #[inject(default = 3)]
        pub v: u32,
    }

    #[injectable]
    pub struct C004 {
        pub next: C005,
        #[inject(default = 4)]
        pub v: u32,
    }

    #[injectable]
    pub struct C005 {
        pub next: C006,
        #[inject(default = 5)]
        pub v: u32,
    }

    #[injectable]
    pub struct C006 {
        pub next: C007,
        #[inject(default = 6)]
        pub v: u32,
    }

    #[injectable]
    pub struct C007 {
        pub next: C008,
        #[inject(default = 7)]
        pub v: u32,
    }

    #[injectable]
    pub struct C008 {
        pub next: C009,
        #[inject(default = 8)]
        pub v: u32,
    }

    #[injectable]
    pub struct C009 {
        pub next: C010,
        #[inject(default = 9)]
        pub v: u32,
    }

    #[injectable]
    pub struct C010 {
        pub next: C011,
        #[inject(default = 10)]
        pub v: u32,
    }

    #[injectable]
    pub struct C011 {
        pub next: C012,
        #[inject(default = 11)]
        pub v: u32,
    }

    #[injectable]
    pub struct C012 {
        pub next: C013,
        #[inject(default = 12)]
        pub v: u32,
    }

    #[injectable]
    pub struct C013 {
        pub next: C014,
        #[inject(default = 13)]
        pub v: u32,
    }

    #[injectable]
    pub struct C014 {
        pub next: C015,
        #[inject(default = 14)]
        pub v: u32,
    }

    #[injectable]
    pub struct C015 {
        pub next: C016,
        #[inject(default = 15)]
        pub v: u32,
    }

    #[injectable]
    pub struct C016 {
        pub next: C017,
        #[inject(default = 16)]
        pub v: u32,
    }

    #[injectable]
    pub struct C017 {
        pub next: C018,
        #[inject(default = 17)]
        pub v: u32,
    }

    #[injectable]
    pub struct C018 {
        pub next: C019,
        #[inject(default = 18)]
        pub v: u32,
    }

    #[injectable]
    pub struct C019 {
        pub next: C020,
        #[inject(default = 19)]
        pub v: u32,
    }

    #[injectable]
    pub struct C020 {
        pub next: C021,
        #[inject(default = 20)]
        pub v: u32,
    }

    #[injectable]
    pub struct C021 {
        pub next: C022,
        #[inject(default = 21)]
        pub v: u32,
    }

    #[injectable]
    pub struct C022 {
        pub next: C023,
        #[inject(default = 22)]
        pub v: u32,
    }

    #[injectable]
    pub struct C023 {
        pub next: C024,
        #[inject(default = 23)]
        pub v: u32,
    }

    #[injectable]
    pub struct C024 {
        pub next: C025,
        #[inject(default = 24)]
        pub v: u32,
    }

    #[injectable]
    pub struct C025 {
        pub next: C026,
        #[inject(default = 25)]
        pub v: u32,
    }

    #[injectable]
    pub struct C026 {
        pub next: C027,
        #[inject(default = 26)]
        pub v: u32,
    }

    #[injectable]
    pub struct C027 {
        pub next: C028,
        #[inject(default = 27)]
        pub v: u32,
    }

    #[injectable]
    pub struct C028 {
        pub next: C029,
        #[inject(default = 28)]
        pub v: u32,
    }

    #[injectable]
    pub struct C029 {
        pub next: C030,
        #[inject(default = 29)]
        pub v: u32,
    }

    #[injectable]
    pub struct C030 {
        pub next: C031,
        #[inject(default = 30)]
        pub v: u32,
    }

    #[injectable]
    pub struct C031 {
        #[inject(default = 31)]
        pub v: u32,
    }

    container! {
        pub struct Chain32 {
            transient C000; transient C001; transient C002; transient C003; transient C004;
            transient C005; transient C006; transient C007; transient C008; transient C009;
            transient C010; transient C011; transient C012; transient C013; transient C014;
            transient C015; transient C016; transient C017; transient C018; transient C019;
            transient C020; transient C021; transient C022; transient C023; transient C024;
            transient C025; transient C026; transient C027; transient C028; transient C029;
            transient C030; transient C031;
        }
    }

    /// The same chain, as the nested struct literals.
    #[inline(never)]
    pub fn hand() -> C000 {
        C000 { next: C001 { next: C002 { next: C003 { next: C004 { next: C005 { next: C006 { next: C007 { next: C008 { next: C009 { next: C010 { next: C011 { next: C012 { next: C013 { next: C014 { next: C015 { next: C016 { next: C017 { next: C018 { next: C019 { next: C020 { next: C021 { next: C022 { next: C023 { next: C024 { next: C025 { next: C026 { next: C027 { next: C028 { next: C029 { next: C030 { next: C031 { v: 31 }, v: 30 }, v: 29 }, v: 28 }, v: 27 }, v: 26 }, v: 25 }, v: 24 }, v: 23 }, v: 22 }, v: 21 }, v: 20 }, v: 19 }, v: 18 }, v: 17 }, v: 16 }, v: 15 }, v: 14 }, v: 13 }, v: 12 }, v: 11 }, v: 10 }, v: 9 }, v: 8 }, v: 7 }, v: 6 }, v: 5 }, v: 4 }, v: 3 }, v: 2 }, v: 1 }, v: 0 }
    }
}

/// A transient chain 50 deep.
pub mod chain50 {
    use super::*;

    #[injectable]
    pub struct C000 {
        pub next: C001,
        #[inject(default = 0)]
        pub v: u32,
    }

    #[injectable]
    pub struct C001 {
        pub next: C002,
        #[inject(default = 1)]
        pub v: u32,
    }

    #[injectable]
    pub struct C002 {
        pub next: C003,
        #[inject(default = 2)]
        pub v: u32,
    }

    #[injectable]
    pub struct C003 {
        pub next: C004,
        #[inject(default = 3)]
        pub v: u32,
    }

    #[injectable]
    pub struct C004 {
        pub next: C005,
        #[inject(default = 4)]
        pub v: u32,
    }

    #[injectable]
    pub struct C005 {
        pub next: C006,
        #[inject(default = 5)]
        pub v: u32,
    }

    #[injectable]
    pub struct C006 {
        pub next: C007,
        #[inject(default = 6)]
        pub v: u32,
    }

    #[injectable]
    pub struct C007 {
        pub next: C008,
        #[inject(default = 7)]
        pub v: u32,
    }

    #[injectable]
    pub struct C008 {
        pub next: C009,
        #[inject(default = 8)]
        pub v: u32,
    }

    #[injectable]
    pub struct C009 {
        pub next: C010,
        #[inject(default = 9)]
        pub v: u32,
    }

    #[injectable]
    pub struct C010 {
        pub next: C011,
        #[inject(default = 10)]
        pub v: u32,
    }

    #[injectable]
    pub struct C011 {
        pub next: C012,
        #[inject(default = 11)]
        pub v: u32,
    }

    #[injectable]
    pub struct C012 {
        pub next: C013,
        #[inject(default = 12)]
        pub v: u32,
    }

    #[injectable]
    pub struct C013 {
        pub next: C014,
        #[inject(default = 13)]
        pub v: u32,
    }

    #[injectable]
    pub struct C014 {
        pub next: C015,
        #[inject(default = 14)]
        pub v: u32,
    }

    #[injectable]
    pub struct C015 {
        pub next: C016,
        #[inject(default = 15)]
        pub v: u32,
    }

    #[injectable]
    pub struct C016 {
        pub next: C017,
        #[inject(default = 16)]
        pub v: u32,
    }

    #[injectable]
    pub struct C017 {
        pub next: C018,
        #[inject(default = 17)]
        pub v: u32,
    }

    #[injectable]
    pub struct C018 {
        pub next: C019,
        #[inject(default = 18)]
        pub v: u32,
    }

    #[injectable]
    pub struct C019 {
        pub next: C020,
        #[inject(default = 19)]
        pub v: u32,
    }

    #[injectable]
    pub struct C020 {
        pub next: C021,
        #[inject(default = 20)]
        pub v: u32,
    }

    #[injectable]
    pub struct C021 {
        pub next: C022,
        #[inject(default = 21)]
        pub v: u32,
    }

    #[injectable]
    pub struct C022 {
        pub next: C023,
        #[inject(default = 22)]
        pub v: u32,
    }

    #[injectable]
    pub struct C023 {
        pub next: C024,
        #[inject(default = 23)]
        pub v: u32,
    }

    #[injectable]
    pub struct C024 {
        pub next: C025,
        #[inject(default = 24)]
        pub v: u32,
    }

    #[injectable]
    pub struct C025 {
        pub next: C026,
        #[inject(default = 25)]
        pub v: u32,
    }

    #[injectable]
    pub struct C026 {
        pub next: C027,
        #[inject(default = 26)]
        pub v: u32,
    }

    #[injectable]
    pub struct C027 {
        pub next: C028,
        #[inject(default = 27)]
        pub v: u32,
    }

    #[injectable]
    pub struct C028 {
        pub next: C029,
        #[inject(default = 28)]
        pub v: u32,
    }

    #[injectable]
    pub struct C029 {
        pub next: C030,
        #[inject(default = 29)]
        pub v: u32,
    }

    #[injectable]
    pub struct C030 {
        pub next: C031,
        #[inject(default = 30)]
        pub v: u32,
    }

    #[injectable]
    pub struct C031 {
        pub next: C032,
        #[inject(default = 31)]
        pub v: u32,
    }

    #[injectable]
    pub struct C032 {
        pub next: C033,
        #[inject(default = 32)]
        pub v: u32,
    }

    #[injectable]
    pub struct C033 {
        pub next: C034,
        #[inject(default = 33)]
        pub v: u32,
    }

    #[injectable]
    pub struct C034 {
        pub next: C035,
        #[inject(default = 34)]
        pub v: u32,
    }

    #[injectable]
    pub struct C035 {
        pub next: C036,
        #[inject(default = 35)]
        pub v: u32,
    }

    #[injectable]
    pub struct C036 {
        pub next: C037,
        #[inject(default = 36)]
        pub v: u32,
    }

    #[injectable]
    pub struct C037 {
        pub next: C038,
        #[inject(default = 37)]
        pub v: u32,
    }

    #[injectable]
    pub struct C038 {
        pub next: C039,
        #[inject(default = 38)]
        pub v: u32,
    }

    #[injectable]
    pub struct C039 {
        pub next: C040,
        #[inject(default = 39)]
        pub v: u32,
    }

    #[injectable]
    pub struct C040 {
        pub next: C041,
        #[inject(default = 40)]
        pub v: u32,
    }

    #[injectable]
    pub struct C041 {
        pub next: C042,
        #[inject(default = 41)]
        pub v: u32,
    }

    #[injectable]
    pub struct C042 {
        pub next: C043,
        #[inject(default = 42)]
        pub v: u32,
    }

    #[injectable]
    pub struct C043 {
        pub next: C044,
        #[inject(default = 43)]
        pub v: u32,
    }

    #[injectable]
    pub struct C044 {
        pub next: C045,
        #[inject(default = 44)]
        pub v: u32,
    }

    #[injectable]
    pub struct C045 {
        pub next: C046,
        #[inject(default = 45)]
        pub v: u32,
    }

    #[injectable]
    pub struct C046 {
        pub next: C047,
        #[inject(default = 46)]
        pub v: u32,
    }

    #[injectable]
    pub struct C047 {
        pub next: C048,
        #[inject(default = 47)]
        pub v: u32,
    }

    #[injectable]
    pub struct C048 {
        pub next: C049,
        #[inject(default = 48)]
        pub v: u32,
    }

    #[injectable]
    pub struct C049 {
        #[inject(default = 49)]
        pub v: u32,
    }

    container! {
        pub struct Chain50 {
            transient C000; transient C001; transient C002; transient C003; transient C004;
            transient C005; transient C006; transient C007; transient C008; transient C009;
            transient C010; transient C011; transient C012; transient C013; transient C014;
            transient C015; transient C016; transient C017; transient C018; transient C019;
            transient C020; transient C021; transient C022; transient C023; transient C024;
            transient C025; transient C026; transient C027; transient C028; transient C029;
            transient C030; transient C031; transient C032; transient C033; transient C034;
            transient C035; transient C036; transient C037; transient C038; transient C039;
            transient C040; transient C041; transient C042; transient C043; transient C044;
            transient C045; transient C046; transient C047; transient C048; transient C049;
        }
    }

    /// The same chain, as the nested struct literals.
    #[inline(never)]
    pub fn hand() -> C000 {
        C000 { next: C001 { next: C002 { next: C003 { next: C004 { next: C005 { next: C006 { next: C007 { next: C008 { next: C009 { next: C010 { next: C011 { next: C012 { next: C013 { next: C014 { next: C015 { next: C016 { next: C017 { next: C018 { next: C019 { next: C020 { next: C021 { next: C022 { next: C023 { next: C024 { next: C025 { next: C026 { next: C027 { next: C028 { next: C029 { next: C030 { next: C031 { next: C032 { next: C033 { next: C034 { next: C035 { next: C036 { next: C037 { next: C038 { next: C039 { next: C040 { next: C041 { next: C042 { next: C043 { next: C044 { next: C045 { next: C046 { next: C047 { next: C048 { next: C049 { v: 49 }, v: 48 }, v: 47 }, v: 46 }, v: 45 }, v: 44 }, v: 43 }, v: 42 }, v: 41 }, v: 40 }, v: 39 }, v: 38 }, v: 37 }, v: 36 }, v: 35 }, v: 34 }, v: 33 }, v: 32 }, v: 31 }, v: 30 }, v: 29 }, v: 28 }, v: 27 }, v: 26 }, v: 25 }, v: 24 }, v: 23 }, v: 22 }, v: 21 }, v: 20 }, v: 19 }, v: 18 }, v: 17 }, v: 16 }, v: 15 }, v: 14 }, v: 13 }, v: 12 }, v: 11 }, v: 10 }, v: 9 }, v: 8 }, v: 7 }, v: 6 }, v: 5 }, v: 4 }, v: 3 }, v: 2 }, v: 1 }, v: 0 }
    }
}

/// A transient chain 100 deep.
pub mod chain100 {
    use super::*;

    #[injectable]
    pub struct C000 {
        pub next: C001,
        #[inject(default = 0)]
        pub v: u32,
    }

    #[injectable]
    pub struct C001 {
        pub next: C002,
        #[inject(default = 1)]
        pub v: u32,
    }

    #[injectable]
    pub struct C002 {
        pub next: C003,
        #[inject(default = 2)]
        pub v: u32,
    }

    #[injectable]
    pub struct C003 {
        pub next: C004,
        #[inject(default = 3)]
        pub v: u32,
    }

    #[injectable]
    pub struct C004 {
        pub next: C005,
        #[inject(default = 4)]
        pub v: u32,
    }

    #[injectable]
    pub struct C005 {
        pub next: C006,
        #[inject(default = 5)]
        pub v: u32,
    }

    #[injectable]
    pub struct C006 {
        pub next: C007,
        #[inject(default = 6)]
        pub v: u32,
    }

    #[injectable]
    pub struct C007 {
        pub next: C008,
        #[inject(default = 7)]
        pub v: u32,
    }

    #[injectable]
    pub struct C008 {
        pub next: C009,
        #[inject(default = 8)]
        pub v: u32,
    }

    #[injectable]
    pub struct C009 {
        pub next: C010,
        #[inject(default = 9)]
        pub v: u32,
    }

    #[injectable]
    pub struct C010 {
        pub next: C011,
        #[inject(default = 10)]
        pub v: u32,
    }

    #[injectable]
    pub struct C011 {
        pub next: C012,
        #[inject(default = 11)]
        pub v: u32,
    }

    #[injectable]
    pub struct C012 {
        pub next: C013,
        #[inject(default = 12)]
        pub v: u32,
    }

    #[injectable]
    pub struct C013 {
        pub next: C014,
        #[inject(default = 13)]
        pub v: u32,
    }

    #[injectable]
    pub struct C014 {
        pub next: C015,
        #[inject(default = 14)]
        pub v: u32,
    }

    #[injectable]
    pub struct C015 {
        pub next: C016,
        #[inject(default = 15)]
        pub v: u32,
    }

    #[injectable]
    pub struct C016 {
        pub next: C017,
        #[inject(default = 16)]
        pub v: u32,
    }

    #[injectable]
    pub struct C017 {
        pub next: C018,
        #[inject(default = 17)]
        pub v: u32,
    }

    #[injectable]
    pub struct C018 {
        pub next: C019,
        #[inject(default = 18)]
        pub v: u32,
    }

    #[injectable]
    pub struct C019 {
        pub next: C020,
        #[inject(default = 19)]
        pub v: u32,
    }

    #[injectable]
    pub struct C020 {
        pub next: C021,
        #[inject(default = 20)]
        pub v: u32,
    }

    #[injectable]
    pub struct C021 {
        pub next: C022,
        #[inject(default = 21)]
        pub v: u32,
    }

    #[injectable]
    pub struct C022 {
        pub next: C023,
        #[inject(default = 22)]
        pub v: u32,
    }

    #[injectable]
    pub struct C023 {
        pub next: C024,
        #[inject(default = 23)]
        pub v: u32,
    }

    #[injectable]
    pub struct C024 {
        pub next: C025,
        #[inject(default = 24)]
        pub v: u32,
    }

    #[injectable]
    pub struct C025 {
        pub next: C026,
        #[inject(default = 25)]
        pub v: u32,
    }

    #[injectable]
    pub struct C026 {
        pub next: C027,
        #[inject(default = 26)]
        pub v: u32,
    }

    #[injectable]
    pub struct C027 {
        pub next: C028,
        #[inject(default = 27)]
        pub v: u32,
    }

    #[injectable]
    pub struct C028 {
        pub next: C029,
        #[inject(default = 28)]
        pub v: u32,
    }

    #[injectable]
    pub struct C029 {
        pub next: C030,
        #[inject(default = 29)]
        pub v: u32,
    }

    #[injectable]
    pub struct C030 {
        pub next: C031,
        #[inject(default = 30)]
        pub v: u32,
    }

    #[injectable]
    pub struct C031 {
        pub next: C032,
        #[inject(default = 31)]
        pub v: u32,
    }

    #[injectable]
    pub struct C032 {
        pub next: C033,
        #[inject(default = 32)]
        pub v: u32,
    }

    #[injectable]
    pub struct C033 {
        pub next: C034,
        #[inject(default = 33)]
        pub v: u32,
    }

    #[injectable]
    pub struct C034 {
        pub next: C035,
        #[inject(default = 34)]
        pub v: u32,
    }

    #[injectable]
    pub struct C035 {
        pub next: C036,
        #[inject(default = 35)]
        pub v: u32,
    }

    #[injectable]
    pub struct C036 {
        pub next: C037,
        #[inject(default = 36)]
        pub v: u32,
    }

    #[injectable]
    pub struct C037 {
        pub next: C038,
        #[inject(default = 37)]
        pub v: u32,
    }

    #[injectable]
    pub struct C038 {
        pub next: C039,
        #[inject(default = 38)]
        pub v: u32,
    }

    #[injectable]
    pub struct C039 {
        pub next: C040,
        #[inject(default = 39)]
        pub v: u32,
    }

    #[injectable]
    pub struct C040 {
        pub next: C041,
        #[inject(default = 40)]
        pub v: u32,
    }

    #[injectable]
    pub struct C041 {
        pub next: C042,
        #[inject(default = 41)]
        pub v: u32,
    }

    #[injectable]
    pub struct C042 {
        pub next: C043,
        #[inject(default = 42)]
        pub v: u32,
    }

    #[injectable]
    pub struct C043 {
        pub next: C044,
        #[inject(default = 43)]
        pub v: u32,
    }

    #[injectable]
    pub struct C044 {
        pub next: C045,
        #[inject(default = 44)]
        pub v: u32,
    }

    #[injectable]
    pub struct C045 {
        pub next: C046,
        #[inject(default = 45)]
        pub v: u32,
    }

    #[injectable]
    pub struct C046 {
        pub next: C047,
        #[inject(default = 46)]
        pub v: u32,
    }

    #[injectable]
    pub struct C047 {
        pub next: C048,
        #[inject(default = 47)]
        pub v: u32,
    }

    #[injectable]
    pub struct C048 {
        pub next: C049,
        #[inject(default = 48)]
        pub v: u32,
    }

    #[injectable]
    pub struct C049 {
        pub next: C050,
        #[inject(default = 49)]
        pub v: u32,
    }

    #[injectable]
    pub struct C050 {
        pub next: C051,
        #[inject(default = 50)]
        pub v: u32,
    }

    #[injectable]
    pub struct C051 {
        pub next: C052,
        #[inject(default = 51)]
        pub v: u32,
    }

    #[injectable]
    pub struct C052 {
        pub next: C053,
        #[inject(default = 52)]
        pub v: u32,
    }

    #[injectable]
    pub struct C053 {
        pub next: C054,
        #[inject(default = 53)]
        pub v: u32,
    }

    #[injectable]
    pub struct C054 {
        pub next: C055,
        #[inject(default = 54)]
        pub v: u32,
    }

    #[injectable]
    pub struct C055 {
        pub next: C056,
        #[inject(default = 55)]
        pub v: u32,
    }

    #[injectable]
    pub struct C056 {
        pub next: C057,
        #[inject(default = 56)]
        pub v: u32,
    }

    #[injectable]
    pub struct C057 {
        pub next: C058,
        #[inject(default = 57)]
        pub v: u32,
    }

    #[injectable]
    pub struct C058 {
        pub next: C059,
        #[inject(default = 58)]
        pub v: u32,
    }

    #[injectable]
    pub struct C059 {
        pub next: C060,
        #[inject(default = 59)]
        pub v: u32,
    }

    #[injectable]
    pub struct C060 {
        pub next: C061,
        #[inject(default = 60)]
        pub v: u32,
    }

    #[injectable]
    pub struct C061 {
        pub next: C062,
        #[inject(default = 61)]
        pub v: u32,
    }

    #[injectable]
    pub struct C062 {
        pub next: C063,
        #[inject(default = 62)]
        pub v: u32,
    }

    #[injectable]
    pub struct C063 {
        pub next: C064,
        #[inject(default = 63)]
        pub v: u32,
    }

    #[injectable]
    pub struct C064 {
        pub next: C065,
        #[inject(default = 64)]
        pub v: u32,
    }

    #[injectable]
    pub struct C065 {
        pub next: C066,
        #[inject(default = 65)]
        pub v: u32,
    }

    #[injectable]
    pub struct C066 {
        pub next: C067,
        #[inject(default = 66)]
        pub v: u32,
    }

    #[injectable]
    pub struct C067 {
        pub next: C068,
        #[inject(default = 67)]
        pub v: u32,
    }

    #[injectable]
    pub struct C068 {
        pub next: C069,
        #[inject(default = 68)]
        pub v: u32,
    }

    #[injectable]
    pub struct C069 {
        pub next: C070,
        #[inject(default = 69)]
        pub v: u32,
    }

    #[injectable]
    pub struct C070 {
        pub next: C071,
        #[inject(default = 70)]
        pub v: u32,
    }

    #[injectable]
    pub struct C071 {
        pub next: C072,
        #[inject(default = 71)]
        pub v: u32,
    }

    #[injectable]
    pub struct C072 {
        pub next: C073,
        #[inject(default = 72)]
        pub v: u32,
    }

    #[injectable]
    pub struct C073 {
        pub next: C074,
        #[inject(default = 73)]
        pub v: u32,
    }

    #[injectable]
    pub struct C074 {
        pub next: C075,
        #[inject(default = 74)]
        pub v: u32,
    }

    #[injectable]
    pub struct C075 {
        pub next: C076,
        #[inject(default = 75)]
        pub v: u32,
    }

    #[injectable]
    pub struct C076 {
        pub next: C077,
        #[inject(default = 76)]
        pub v: u32,
    }

    #[injectable]
    pub struct C077 {
        pub next: C078,
        #[inject(default = 77)]
        pub v: u32,
    }

    #[injectable]
    pub struct C078 {
        pub next: C079,
        #[inject(default = 78)]
        pub v: u32,
    }

    #[injectable]
    pub struct C079 {
        pub next: C080,
        #[inject(default = 79)]
        pub v: u32,
    }

    #[injectable]
    pub struct C080 {
        pub next: C081,
        #[inject(default = 80)]
        pub v: u32,
    }

    #[injectable]
    pub struct C081 {
        pub next: C082,
        #[inject(default = 81)]
        pub v: u32,
    }

    #[injectable]
    pub struct C082 {
        pub next: C083,
        #[inject(default = 82)]
        pub v: u32,
    }

    #[injectable]
    pub struct C083 {
        pub next: C084,
        #[inject(default = 83)]
        pub v: u32,
    }

    #[injectable]
    pub struct C084 {
        pub next: C085,
        #[inject(default = 84)]
        pub v: u32,
    }

    #[injectable]
    pub struct C085 {
        pub next: C086,
        #[inject(default = 85)]
        pub v: u32,
    }

    #[injectable]
    pub struct C086 {
        pub next: C087,
        #[inject(default = 86)]
        pub v: u32,
    }

    #[injectable]
    pub struct C087 {
        pub next: C088,
        #[inject(default = 87)]
        pub v: u32,
    }

    #[injectable]
    pub struct C088 {
        pub next: C089,
        #[inject(default = 88)]
        pub v: u32,
    }

    #[injectable]
    pub struct C089 {
        pub next: C090,
        #[inject(default = 89)]
        pub v: u32,
    }

    #[injectable]
    pub struct C090 {
        pub next: C091,
        #[inject(default = 90)]
        pub v: u32,
    }

    #[injectable]
    pub struct C091 {
        pub next: C092,
        #[inject(default = 91)]
        pub v: u32,
    }

    #[injectable]
    pub struct C092 {
        pub next: C093,
        #[inject(default = 92)]
        pub v: u32,
    }

    #[injectable]
    pub struct C093 {
        pub next: C094,
        #[inject(default = 93)]
        pub v: u32,
    }

    #[injectable]
    pub struct C094 {
        pub next: C095,
        #[inject(default = 94)]
        pub v: u32,
    }

    #[injectable]
    pub struct C095 {
        pub next: C096,
        #[inject(default = 95)]
        pub v: u32,
    }

    #[injectable]
    pub struct C096 {
        pub next: C097,
        #[inject(default = 96)]
        pub v: u32,
    }

    #[injectable]
    pub struct C097 {
        pub next: C098,
        #[inject(default = 97)]
        pub v: u32,
    }

    #[injectable]
    pub struct C098 {
        pub next: C099,
        #[inject(default = 98)]
        pub v: u32,
    }

    #[injectable]
    pub struct C099 {
        #[inject(default = 99)]
        pub v: u32,
    }

    container! {
        pub struct Chain100 {
            transient C000; transient C001; transient C002; transient C003; transient C004;
            transient C005; transient C006; transient C007; transient C008; transient C009;
            transient C010; transient C011; transient C012; transient C013; transient C014;
            transient C015; transient C016; transient C017; transient C018; transient C019;
            transient C020; transient C021; transient C022; transient C023; transient C024;
            transient C025; transient C026; transient C027; transient C028; transient C029;
            transient C030; transient C031; transient C032; transient C033; transient C034;
            transient C035; transient C036; transient C037; transient C038; transient C039;
            transient C040; transient C041; transient C042; transient C043; transient C044;
            transient C045; transient C046; transient C047; transient C048; transient C049;
            transient C050; transient C051; transient C052; transient C053; transient C054;
            transient C055; transient C056; transient C057; transient C058; transient C059;
            transient C060; transient C061; transient C062; transient C063; transient C064;
            transient C065; transient C066; transient C067; transient C068; transient C069;
            transient C070; transient C071; transient C072; transient C073; transient C074;
            transient C075; transient C076; transient C077; transient C078; transient C079;
            transient C080; transient C081; transient C082; transient C083; transient C084;
            transient C085; transient C086; transient C087; transient C088; transient C089;
            transient C090; transient C091; transient C092; transient C093; transient C094;
            transient C095; transient C096; transient C097; transient C098; transient C099;
        }
    }

    /// The same chain, as the nested struct literals.
    #[inline(never)]
    pub fn hand() -> C000 {
        C000 { next: C001 { next: C002 { next: C003 { next: C004 { next: C005 { next: C006 { next: C007 { next: C008 { next: C009 { next: C010 { next: C011 { next: C012 { next: C013 { next: C014 { next: C015 { next: C016 { next: C017 { next: C018 { next: C019 { next: C020 { next: C021 { next: C022 { next: C023 { next: C024 { next: C025 { next: C026 { next: C027 { next: C028 { next: C029 { next: C030 { next: C031 { next: C032 { next: C033 { next: C034 { next: C035 { next: C036 { next: C037 { next: C038 { next: C039 { next: C040 { next: C041 { next: C042 { next: C043 { next: C044 { next: C045 { next: C046 { next: C047 { next: C048 { next: C049 { next: C050 { next: C051 { next: C052 { next: C053 { next: C054 { next: C055 { next: C056 { next: C057 { next: C058 { next: C059 { next: C060 { next: C061 { next: C062 { next: C063 { next: C064 { next: C065 { next: C066 { next: C067 { next: C068 { next: C069 { next: C070 { next: C071 { next: C072 { next: C073 { next: C074 { next: C075 { next: C076 { next: C077 { next: C078 { next: C079 { next: C080 { next: C081 { next: C082 { next: C083 { next: C084 { next: C085 { next: C086 { next: C087 { next: C088 { next: C089 { next: C090 { next: C091 { next: C092 { next: C093 { next: C094 { next: C095 { next: C096 { next: C097 { next: C098 { next: C099 { v: 99 }, v: 98 }, v: 97 }, v: 96 }, v: 95 }, v: 94 }, v: 93 }, v: 92 }, v: 91 }, v: 90 }, v: 89 }, v: 88 }, v: 87 }, v: 86 }, v: 85 }, v: 84 }, v: 83 }, v: 82 }, v: 81 }, v: 80 }, v: 79 }, v: 78 }, v: 77 }, v: 76 }, v: 75 }, v: 74 }, v: 73 }, v: 72 }, v: 71 }, v: 70 }, v: 69 }, v: 68 }, v: 67 }, v: 66 }, v: 65 }, v: 64 }, v: 63 }, v: 62 }, v: 61 }, v: 60 }, v: 59 }, v: 58 }, v: 57 }, v: 56 }, v: 55 }, v: 54 }, v: 53 }, v: 52 }, v: 51 }, v: 50 }, v: 49 }, v: 48 }, v: 47 }, v: 46 }, v: 45 }, v: 44 }, v: 43 }, v: 42 }, v: 41 }, v: 40 }, v: 39 }, v: 38 }, v: 37 }, v: 36 }, v: 35 }, v: 34 }, v: 33 }, v: 32 }, v: 31 }, v: 30 }, v: 29 }, v: 28 }, v: 27 }, v: 26 }, v: 25 }, v: 24 }, v: 23 }, v: 22 }, v: 21 }, v: 20 }, v: 19 }, v: 18 }, v: 17 }, v: 16 }, v: 15 }, v: 14 }, v: 13 }, v: 12 }, v: 11 }, v: 10 }, v: 9 }, v: 8 }, v: 7 }, v: 6 }, v: 5 }, v: 4 }, v: 3 }, v: 2 }, v: 1 }, v: 0 }
    }
}
