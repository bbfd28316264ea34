//! The object graphs of the scenarios.
#![allow(missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use injectq::{container, injectable};
use tokio::sync::OnceCell;

// ---------------------------------------------------------------- a created singleton, as `Arc`

#[injectable]
pub struct Svc {
    #[inject(default = 7)]
    pub n: u64,
}

container! {
    pub struct SingletonApp {
        singleton Svc;
    }
}

/// Doubles a `Svc`: a decorator.
#[injectq::factory]
pub fn doubled(#[inner] inner: Arc<Svc>) -> Svc {
    Svc { n: inner.n * 2 }
}

container! {
    /// The same singleton, decorated.
    pub struct DecoratedApp {
        singleton Svc;
        decorate Svc = doubled;
    }
}

/// A generic service: one registration for every `T: Kind`.
#[injectable]
pub struct Typed<T: Kind> {
    #[inject(default = 7)]
    pub n: u64,
    kind: std::marker::PhantomData<T>,
}

/// What a [`Typed`] is for.
pub trait Kind: Send + Sync + 'static {}

/// A kind.
pub struct First;
impl Kind for First {}

/// Another kind.
pub struct Second;
impl Kind for Second {}

container! {
    /// A generic singleton, asked for as two types: `Typed<First>`, `Typed<Second>`.
    pub struct GenericApp {
        singleton<T: Kind> Typed<T>;
    }
}

container! {
    /// The same two types, written out.
    pub struct WrittenOutApp {
        singleton Typed<First>;
        singleton Typed<Second>;
    }
}

/// The hand-written mirror: a cell, created on first use.
#[derive(Default)]
pub struct HandSingleton {
    cell: OnceCell<Arc<Svc>>,
}

impl HandSingleton {
    pub async fn get(&self) -> Arc<Svc> {
        self.cell.get_or_init(|| async { Arc::new(Svc { n: 7 }) }).await.clone()
    }
}

pub mod nject_singleton {
    use std::sync::Arc;

    pub struct Svc {
        pub n: u64,
    }

    #[nject::provider]
    pub struct Provider {
        #[provide]
        pub svc: Arc<Svc>,
    }
}

pub mod shaku_singleton {
    use shaku::{Component, Interface, module};

    pub trait Service: Interface {
        fn n(&self) -> u64;
    }

    #[derive(Component)]
    #[shaku(interface = Service)]
    pub struct Svc {
        #[shaku(default = 7)]
        n: u64,
    }

    impl Service for Svc {
        fn n(&self) -> u64 {
            self.n
        }
    }

    module! {
        pub Module {
            components = [Svc],
            providers = []
        }
    }
}

/// dill: a run-time catalog; a singleton is a scope of its builder.
pub mod dill_singleton {
    use dill::Component;

    #[dill::component]
    #[dill::scope(dill::Singleton)]
    pub struct Svc {
        pub n: u64,
    }

    pub fn catalog() -> dill::Catalog {
        dill::Catalog::builder().add_builder(Svc::builder().with_n(7)).build()
    }
}

// ------------------------------------------------- a 16-object transient graph, built by value

#[injectable]
pub struct Leaf {
    #[inject(default = 7)]
    pub v: u64,
}

#[injectable]
pub struct Mid {
    pub a: Leaf,
    pub b: Leaf,
    pub c: Leaf,
    pub d: Leaf,
}

/// 1 root, 3 mids, 12 leaves: 16 objects.
#[injectable]
pub struct Root {
    pub x: Mid,
    pub y: Mid,
    pub z: Mid,
}

container! {
    pub struct TransientApp {
        transient Leaf;
        transient Mid;
        transient Root;
    }
}

fn hand_mid() -> Mid {
    Mid { a: Leaf { v: 7 }, b: Leaf { v: 7 }, c: Leaf { v: 7 }, d: Leaf { v: 7 } }
}

/// The hand-written mirror: nested struct literals.
/// The same literals handed back as a `Result`, as a hand-written constructor that can fail
/// returns them: a reference line, not a contender (see BENCHMARKS.md).
#[inline]
pub fn hand_result() -> injectq::Result<Root> {
    Ok(hand_root())
}

pub fn hand_root() -> Root {
    Root { x: hand_mid(), y: hand_mid(), z: hand_mid() }
}

impl Root {
    /// Touches every object, so that none of them is optimised away.
    pub fn sum(&self) -> u64 {
        [&self.x, &self.y, &self.z].iter().map(|m| m.a.v + m.b.v + m.c.v + m.d.v).sum()
    }
}

pub mod nject_transient {
    use nject::{injectable, provider};

    #[injectable]
    pub struct Leaf {
        #[inject(7)]
        pub v: u64,
    }

    #[injectable]
    pub struct Mid {
        pub a: Leaf,
        pub b: Leaf,
        pub c: Leaf,
        pub d: Leaf,
    }

    #[injectable]
    pub struct Root {
        pub x: Mid,
        pub y: Mid,
        pub z: Mid,
    }

    impl Root {
        pub fn sum(&self) -> u64 {
            [&self.x, &self.y, &self.z].iter().map(|m| m.a.v + m.b.v + m.c.v + m.d.v).sum()
        }
    }

    #[provider]
    pub struct Provider;
}

/// dill: each object is created behind an `Arc` (a dependency by value is cloned out of it), and
/// the root is returned as an `Arc`.
pub mod dill_transient {
    use dill::Component;

    #[dill::component]
    #[derive(Clone)]
    pub struct Leaf {
        pub v: u64,
    }

    #[dill::component]
    #[derive(Clone)]
    pub struct Mid {
        pub a: Leaf,
        pub b: Leaf,
        pub c: Leaf,
        pub d: Leaf,
    }

    #[dill::component]
    pub struct Root {
        pub x: Mid,
        pub y: Mid,
        pub z: Mid,
    }

    impl Root {
        pub fn sum(&self) -> u64 {
            [&self.x, &self.y, &self.z].iter().map(|m| m.a.v + m.b.v + m.c.v + m.d.v).sum()
        }
    }

    pub fn catalog() -> dill::Catalog {
        dill::Catalog::builder().add_builder(Leaf::builder().with_v(7)).add::<Mid>().add::<Root>().build()
    }
}

// ------------------------------- a scope: opened, three scoped services resolved, disposed

#[injectable]
pub struct Session {
    #[inject(default = 1)]
    pub id: u64,
}

#[injectable]
pub struct Transaction {
    #[inject(default = 2)]
    pub id: u64,
}

#[injectable]
pub struct Audit {
    #[inject(default = 3)]
    pub id: u64,
}

container! {
    pub struct ScopeApp {
        scoped Session;
        scoped Transaction;
        scoped Audit;
    }
}

container! {
    /// The same three scoped services in a nested kind of scope (each opened inside an open
    /// `OuterScope`), and in the outer kind, resolved from an inner scope.
    pub struct NestedScopeApp {
        scope OuterScope {
            scope InnerScope {
                scoped Session;
                scoped Transaction;
                scoped Audit;
            }
        }
    }
}

container! {
    /// Three scoped services of an outer kind, resolved from the scopes of an inner one.
    pub struct OuterScopeApp {
        scope HoldingScope {
            scoped Session;
            scoped Transaction;
            scoped Audit;

            scope AskingScope {}
        }
    }
}

/// A scoped service with an async disposer (it hands its connection back): the cost of the
/// disposal guarantee, one disposer, against [`ScopeApp`]'s `Session` (none).
#[injectq::injectable(dispose)]
pub struct Connection {
    #[inject(default = 4)]
    pub id: u64,
}

impl injectq::AsyncDispose for Connection {
    async fn dispose(&self) -> Result<(), injectq::BoxError> {
        std::hint::black_box(self.id);
        Ok(())
    }
}

container! {
    /// One scoped service that is disposed.
    pub struct DisposingScopeApp {
        scoped Connection;
    }
}

/// The hand-written mirror: three `Arc`s per request.
pub struct HandScope {
    pub session: Arc<Session>,
    pub transaction: Arc<Transaction>,
    pub audit: Arc<Audit>,
}

impl HandScope {
    pub fn open() -> Self {
        HandScope {
            session: Arc::new(Session { id: 1 }),
            transaction: Arc::new(Transaction { id: 2 }),
            audit: Arc::new(Audit { id: 3 }),
        }
    }
}

/// A reference, not the baseline: the hand-written mirror with the guarantees a container's scope
/// gives. The scope is shared behind an `Arc` (so it can be handed to tasks and outlive the call
/// that opened it) and holds the root; each service is created at most once however many tasks
/// ask (an async `OnceCell`), and handed out as an `Arc` clone.
pub struct HandSharedScope {
    state: Arc<HandSharedState>,
}

struct HandSharedState {
    _root: Arc<HandRoot>,
    session: tokio::sync::OnceCell<Arc<Session>>,
    transaction: tokio::sync::OnceCell<Arc<Transaction>>,
    audit: tokio::sync::OnceCell<Arc<Audit>>,
}

/// The root [`HandSharedScope`]s are opened from.
#[derive(Default)]
pub struct HandRoot;

impl HandSharedScope {
    pub fn open(root: &Arc<HandRoot>) -> Self {
        let state = HandSharedState {
            _root: Arc::clone(root),
            session: tokio::sync::OnceCell::new(),
            transaction: tokio::sync::OnceCell::new(),
            audit: tokio::sync::OnceCell::new(),
        };
        HandSharedScope { state: Arc::new(state) }
    }

    pub async fn session(&self) -> Arc<Session> {
        Arc::clone(self.state.session.get_or_init(|| async { Arc::new(Session { id: 1 }) }).await)
    }

    pub async fn transaction(&self) -> Arc<Transaction> {
        Arc::clone(self.state.transaction.get_or_init(|| async { Arc::new(Transaction { id: 2 }) }).await)
    }

    pub async fn audit(&self) -> Arc<Audit> {
        Arc::clone(self.state.audit.get_or_init(|| async { Arc::new(Audit { id: 3 }) }).await)
    }
}

/// nject 0.5: a scope is a struct the provider makes, holding every scoped instance, created
/// eagerly when the scope is opened (synchronously) and lent by reference; nothing is disposed.
pub mod nject_scope {
    use nject::{injectable, provider};

    #[injectable]
    pub struct Session {
        #[inject(1)]
        pub id: u64,
    }

    #[injectable]
    pub struct Transaction {
        #[inject(2)]
        pub id: u64,
    }

    #[injectable]
    pub struct Audit {
        #[inject(3)]
        pub id: u64,
    }

    #[injectable]
    #[provider]
    #[scope(Session)]
    #[scope(Transaction)]
    #[scope(Audit)]
    pub struct Provider;
}

/// dill: a scope is a chained catalog holding a `TransactionCache`; dropping it drops the cached
/// instances (dill has no disposal).
pub mod dill_scope {
    use dill::Component;

    #[dill::component]
    #[dill::scope(dill::scopes::Transaction)]
    pub struct Session {
        pub id: u64,
    }

    #[dill::component]
    #[dill::scope(dill::scopes::Transaction)]
    pub struct Transaction {
        pub id: u64,
    }

    #[dill::component]
    #[dill::scope(dill::scopes::Transaction)]
    pub struct Audit {
        pub id: u64,
    }

    pub fn catalog() -> dill::Catalog {
        dill::Catalog::builder()
            .add_builder(Session::builder().with_id(1))
            .add_builder(Transaction::builder().with_id(2))
            .add_builder(Audit::builder().with_id(3))
            .build()
    }

    /// Opens a scope of `base`.
    pub fn open(base: &dill::Catalog) -> dill::Catalog {
        base.builder_chained().add_value(dill::scopes::TransactionCache::new()).build()
    }
}

// ------------------------- start-up: ten async singletons of 50 ms each, three levels deep

pub const WORK: Duration = Duration::from_millis(50);

macro_rules! slow {
    ($($name:ident($($dep:ident),*);)*) => {$(
        #[allow(non_snake_case)] // each field is named after the service it holds
        #[injectable(init = start)]
        pub struct $name {
            $(pub $dep: Arc<$dep>,)*
        }

        impl $name {
            async fn start(&mut self) -> Result<(), std::convert::Infallible> {
                tokio::time::sleep(WORK).await;
                Ok(())
            }
        }
    )*};
}

// level 1: A B C D; level 2: E(A, B) F(C) G(D); level 3: H(E, F) I(G) J(E)
slow! {
    A(); B(); C(); D();
    E(A, B); F(C); G(D);
    H(E, F); I(G); J(E);
}

container! {
    pub struct StartApp {
        singleton A; singleton B; singleton C; singleton D;
        singleton E; singleton F; singleton G;
        singleton H; singleton I; singleton J;
    }
}

async fn made<T>(value: T) -> Arc<T> {
    tokio::time::sleep(WORK).await;
    Arc::new(value)
}

/// The hand-written mirror: the critical path, by joining each level.
pub async fn hand_start() -> (Arc<H>, Arc<I>, Arc<J>) {
    let (a, b, c, d) = tokio::join!(made(A {}), made(B {}), made(C {}), made(D {}));
    let (e, f, g) = tokio::join!(made(E { A: a, B: b }), made(F { C: c }), made(G { D: d }));
    tokio::join!(made(H { E: Arc::clone(&e), F: f }), made(I { G: g }), made(J { E: e }))
}

// ------------------------------------------------- chains of 50, for the memory and instruction counts

macro_rules! chain {
    ($lifetime:ident $app:ident: $first:ident $(, $rest:ident)*) => {
        chain!(@link $first $(, $rest)*);
        container! {
            pub struct $app {
                $lifetime $first; $($lifetime $rest;)*
            }
        }
    };
    (@link $a:ident, $b:ident $(, $rest:ident)*) => {
        #[injectable]
        // the links hold the chain; only the head's is read
        #[allow(dead_code)]
        pub struct $a {
            pub next: Link<$b>,
        }
        chain!(@link $b $(, $rest)*);
    };
    (@link $last:ident) => {
        #[injectable]
        pub struct $last;
    };
}

pub mod transient_chain {
    use super::*;
    /// A transient holds the next link by value.
    type Link<T> = T;
    chain!(transient Chain50: T00, T01, T02, T03, T04, T05, T06, T07, T08, T09, T10, T11, T12, T13, T14, T15, T16,
        T17, T18, T19, T20, T21, T22, T23, T24, T25, T26, T27, T28, T29, T30, T31, T32, T33, T34, T35, T36, T37, T38,
        T39, T40, T41, T42, T43, T44, T45, T46, T47, T48, T49);
}

pub mod singleton_chain {
    use super::*;
    /// A singleton holds the next link as an `Arc`.
    type Link<T> = Arc<T>;
    chain!(singleton SChain50: S00, S01, S02, S03, S04, S05, S06, S07, S08, S09, S10, S11, S12, S13, S14, S15, S16,
        S17, S18, S19, S20, S21, S22, S23, S24, S25, S26, S27, S28, S29, S30, S31, S32, S33, S34, S35, S36, S37, S38,
        S39, S40, S41, S42, S43, S44, S45, S46, S47, S48, S49);
}

/// The hand-written mirror of [`singleton_chain`]: each link in a tokio `OnceCell`, created on
/// first use by an `async fn` that first gets the next link, as a user writes it by hand.
pub mod hand_chain {
    use super::singleton_chain::*;
    use super::*;

    macro_rules! hand_chain {
        ($($ty:ident $cell:ident),*) => {
            #[derive(Default)]
            pub struct HandChain50 {
                $($cell: OnceCell<Arc<$ty>>,)*
            }
            hand_chain!(@get $($ty $cell),*);
        };
        (@get $a:ident $fa:ident, $b:ident $fb:ident $(, $rest:ident $frest:ident)*) => {
            impl HandChain50 {
                pub async fn $fa(&self) -> Arc<$a> {
                    Arc::clone(self.$fa.get_or_init(|| async { Arc::new($a { next: self.$fb().await }) }).await)
                }
            }
            hand_chain!(@get $b $fb $(, $rest $frest)*);
        };
        (@get $last:ident $flast:ident) => {
            impl HandChain50 {
                pub async fn $flast(&self) -> Arc<$last> {
                    Arc::clone(self.$flast.get_or_init(|| async { Arc::new($last) }).await)
                }
            }
        };
    }

    hand_chain!(S00 s00, S01 s01, S02 s02, S03 s03, S04 s04, S05 s05, S06 s06, S07 s07, S08 s08, S09 s09,
        S10 s10, S11 s11, S12 s12, S13 s13, S14 s14, S15 s15, S16 s16, S17 s17, S18 s18, S19 s19, S20 s20,
        S21 s21, S22 s22, S23 s23, S24 s24, S25 s25, S26 s26, S27 s27, S28 s28, S29 s29, S30 s30, S31 s31,
        S32 s32, S33 s33, S34 s34, S35 s35, S36 s36, S37 s37, S38 s38, S39 s39, S40 s40, S41 s41, S42 s42,
        S43 s43, S44 s44, S45 s45, S46 s46, S47 s47, S48 s48, S49 s49);
}
