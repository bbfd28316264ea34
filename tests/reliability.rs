//! The reliability suite: exactly-once creation, retries after cancelled, failed and panicking
//! creations, disposal under failures and panics, scopes dropped mid-resolve, cycles freed,
//! disposal racing resolves, and a deep chain on a small stack. Everything runs on the
//! multi-thread runtime and is proven with counters.

// the test's own `chain!` macro recurses once per link of the 200-deep chain
#![recursion_limit = "512"]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, ErrorKind, Lazy, Provider, container, factory, injectable};
use support::{Failure, eventually};

mod support;

mod exactly_once {
    use super::*;

    pub const TASKS: usize = 1000;
    pub const ROUNDS: usize = 100;

    static FACTORY_RUNS: AtomicUsize = AtomicUsize::new(0);

    pub struct Pool;

    #[factory]
    async fn open_pool() -> Pool {
        tokio::task::yield_now().await; // let the other tasks pile up on the cell
        FACTORY_RUNS.fetch_add(1, SeqCst);
        Pool
    }

    container! {
        pub struct App {
            singleton Pool = open_pool;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_thousand_tasks_times_a_hundred_rounds_create_one_singleton_per_round() {
        for round in 0..ROUNDS {
            let app = App::new();
            let tasks: Vec<_> = (0..TASKS)
                .map(|_| {
                    let app = app.clone();
                    tokio::spawn(async move { app.resolve::<Arc<Pool>>().await.map(|p| Arc::as_ptr(&p) as usize) })
                })
                .collect();
            let mut instance = None;
            for task in tasks {
                let ptr = task.await.expect("no panic").expect("resolved");
                assert_eq!(*instance.get_or_insert(ptr), ptr, "round {round}: two instances");
            }
            assert_eq!(FACTORY_RUNS.load(SeqCst), round + 1, "round {round}: the factory ran more than once");
        }
    }
}

mod retries {
    use super::*;

    static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);
    static CREATED: AtomicUsize = AtomicUsize::new(0);

    /// Its first attempt never finishes (and is cancelled), the second fails, the third panics,
    /// the fourth succeeds.
    #[injectable(init = connect)]
    pub struct Flaky;

    impl Flaky {
        async fn connect(&mut self) -> Result<(), Failure> {
            match ATTEMPTS.fetch_add(1, SeqCst) {
                0 => std::future::pending().await,
                1 => Err(Failure("refused")),
                2 => panic!("driver bug"),
                _ => {
                    CREATED.fetch_add(1, SeqCst);
                    Ok(())
                }
            }
        }
    }

    container! {
        pub struct App {
            singleton Flaky;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn after_a_cancelled_a_failed_and_a_panicking_init_the_next_resolve_succeeds() {
        let app = App::new();

        let cancelled = tokio::time::timeout(Duration::from_millis(20), app.resolve::<Arc<Flaky>>()).await;
        assert!(cancelled.is_err(), "the first init hangs and is cancelled");

        let failed = app.resolve::<Arc<Flaky>>().await.err().expect("the second init fails");
        assert_eq!(failed.kind(), ErrorKind::Init);

        let a = app.clone();
        let panicked = tokio::spawn(async move { a.resolve::<Arc<Flaky>>().await.map(drop) }).await;
        assert!(panicked.expect_err("the third init panics").is_panic());

        let first = app.resolve::<Arc<Flaky>>().await.expect("the fourth succeeds");
        let again = app.resolve::<Arc<Flaky>>().await.unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!((ATTEMPTS.load(SeqCst), CREATED.load(SeqCst)), (4, 1));
    }
}

mod disposal_failures {
    use super::*;

    pub const DISPOSERS: usize = 100;
    pub const FAILING: usize = 10;

    container! {
        pub struct App {}
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_disposer_runs_in_reverse_order_and_every_failure_is_reported() {
        let app = App::new();
        let ran = Arc::new(Mutex::new(Vec::new()));
        for i in 0..DISPOSERS {
            let ran = Arc::clone(&ran);
            app.on_dispose(move || async move {
                ran.lock().unwrap().push(i);
                if i == DISPOSERS / 2 + 5 {
                    panic!("disposer {i} panics");
                }
                if i % (DISPOSERS / FAILING) == 0 { Err(Failure("cannot close")) } else { Ok(()) }
            })
            .unwrap();
        }
        let err = app.dispose().await.unwrap_err();
        let expected: Vec<usize> = (0..DISPOSERS).rev().collect();
        assert_eq!(*ran.lock().unwrap(), expected, "all ran, newest first");
        assert_eq!(err.failures().len(), FAILING + 1);
        assert_eq!(err.failures().iter().filter(|f| f.panicked()).count(), 1);
    }
}

mod scopes_dropped_mid_resolve {
    use super::*;

    pub const SCOPES: usize = 100;

    static CREATED: AtomicUsize = AtomicUsize::new(0);
    static DISPOSED: AtomicUsize = AtomicUsize::new(0);

    macro_rules! resource {
        ($name:ident $(, $dep:ident: $ty:ty)?) => {
            #[injectable(dispose, init = open)]
            pub struct $name {
                $($dep: Arc<$ty>,)?
            }

            impl $name {
                async fn open(&mut self) -> Result<(), Failure> {
                    $(let _ = &self.$dep;)?
                    tokio::time::sleep(Duration::from_micros(300)).await;
                    CREATED.fetch_add(1, SeqCst);
                    Ok(())
                }
            }

            impl AsyncDispose for $name {
                async fn dispose(&self) -> Result<(), BoxError> {
                    DISPOSED.fetch_add(1, SeqCst);
                    Ok(())
                }
            }
        };
    }

    resource!(Connection);
    resource!(Transaction, connection: Connection);
    resource!(Session, transaction: Transaction);

    container! {
        pub struct App {
            scoped Connection;
            scoped Transaction;
            scoped Session;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn every_scoped_resource_created_is_disposed() {
        let app = App::new();
        let tasks: Vec<_> = (0..SCOPES)
            .map(|i| {
                let app = app.clone();
                tokio::spawn(async move {
                    let scope = app.create_scope();
                    // cancelled after 0 to 1.2 ms: before, during or after each of the three
                    let budget = Duration::from_micros(12 * (i as u64 % 100));
                    let _ = tokio::time::timeout(budget, scope.resolve::<Arc<Session>>()).await;
                    // the scope is dropped here, undisposed
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("no panic");
        }
        let created = CREATED.load(SeqCst);
        assert!(created > 0, "some resources were created before their scope was dropped");
        eventually("every created resource is disposed", || DISPOSED.load(SeqCst) == created).await;
        assert_eq!(DISPOSED.load(SeqCst), CREATED.load(SeqCst));
    }
}

mod cycles_freed {
    use super::*;

    pub const CONTAINERS: usize = 100;

    static BUILT: AtomicUsize = AtomicUsize::new(0);
    static DROPPED: AtomicUsize = AtomicUsize::new(0);

    macro_rules! counted {
        ($name:ident { $($field:ident: $ty:ty),* }) => {
            #[injectable(init = count)]
            pub struct $name {
                $($field: $ty,)*
            }

            impl $name {
                async fn count(&mut self) -> Result<(), Failure> {
                    BUILT.fetch_add(1, SeqCst);
                    Ok(())
                }
            }

            impl Drop for $name {
                fn drop(&mut self) {
                    DROPPED.fetch_add(1, SeqCst);
                }
            }
        };
    }

    counted!(A { b: Lazy<B> });
    counted!(B { _a: Arc<A>, c: Provider<Arc<C>> });
    counted!(C { b: Arc<B> });
    counted!(S1 { s2: Lazy<S2> });
    counted!(S2 { s1: Arc<S1>, a: Arc<A> });

    container! {
        pub struct App {
            singleton A;
            singleton B;
            singleton C;
            scoped S1;
            scoped S2;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn containers_with_lazy_and_provider_cycles_free_every_instance() {
        for _ in 0..CONTAINERS {
            let app = App::new();
            let mut tasks = Vec::new();
            for _ in 0..4 {
                let app = app.clone();
                tasks.push(tokio::spawn(async move {
                    let a = app.resolve::<Arc<A>>().await.unwrap();
                    let b = a.b.get().await.unwrap();
                    let c = b.c.get().await.unwrap();
                    assert!(Arc::ptr_eq(&c.b, &b));
                    let scope = app.create_scope();
                    let s1 = scope.resolve::<Arc<S1>>().await.unwrap();
                    let s2 = s1.s2.get().await.unwrap();
                    assert!(Arc::ptr_eq(&s2.s1, &s1) && Arc::ptr_eq(&s2.a, &a));
                }));
            }
            for task in tasks {
                task.await.unwrap();
            }
        }
        assert_eq!(DROPPED.load(SeqCst), BUILT.load(SeqCst), "instances leaked");
        assert_eq!(BUILT.load(SeqCst), CONTAINERS * (3 + 4 * 2), "3 singletons and 4 scopes of 2 per container");
    }
}

mod dispose_racing_resolves {
    use super::*;

    pub const CONTAINERS: usize = 100;
    pub const RESOLVERS: usize = 10;

    static POOLS_CREATED: AtomicUsize = AtomicUsize::new(0);
    static POOLS_DISPOSED: AtomicUsize = AtomicUsize::new(0);
    static REPOS_CREATED: AtomicUsize = AtomicUsize::new(0);
    static REPOS_DISPOSED: AtomicUsize = AtomicUsize::new(0);
    static DOUBLE_DISPOSED: AtomicBool = AtomicBool::new(false);

    #[injectable(dispose, init = open)]
    pub struct Pool {
        #[inject(default)]
        disposed: AtomicBool,
    }

    impl Pool {
        async fn open(&mut self) -> Result<(), Failure> {
            tokio::task::yield_now().await;
            POOLS_CREATED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    impl AsyncDispose for Pool {
        async fn dispose(&self) -> Result<(), BoxError> {
            if self.disposed.swap(true, SeqCst) {
                DOUBLE_DISPOSED.store(true, SeqCst);
            }
            POOLS_DISPOSED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    #[injectable(dispose, init = open)]
    pub struct Repo {
        _pool: Arc<Pool>,
    }

    impl Repo {
        async fn open(&mut self) -> Result<(), Failure> {
            REPOS_CREATED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    impl AsyncDispose for Repo {
        async fn dispose(&self) -> Result<(), BoxError> {
            REPOS_DISPOSED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    container! {
        pub struct App {
            singleton Pool;
            scoped Repo;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_panic_no_lost_disposer_no_double_disposal() {
        for i in 0..CONTAINERS {
            let app = App::new();
            let mut tasks = Vec::new();
            for _ in 0..RESOLVERS {
                let app = app.clone();
                tasks.push(tokio::spawn(async move {
                    let scope = app.create_scope();
                    if let Err(e) = scope.resolve::<Arc<Repo>>().await {
                        assert_eq!(e.kind(), ErrorKind::Disposed, "only disposal may stop a resolve");
                    }
                    scope.dispose().await
                }));
            }
            if i % 2 == 0 {
                tokio::task::yield_now().await;
            }
            app.dispose().await.expect("the root disposes cleanly");
            for task in tasks {
                task.await.expect("no panic").expect("the scope disposes cleanly");
            }
        }
        eventually("every created service is disposed", || {
            POOLS_DISPOSED.load(SeqCst) == POOLS_CREATED.load(SeqCst)
                && REPOS_DISPOSED.load(SeqCst) == REPOS_CREATED.load(SeqCst)
        })
        .await;
        assert!(!DOUBLE_DISPOSED.load(SeqCst), "a pool was disposed twice");
    }
}

mod deep_chain {
    use super::*;

    macro_rules! chain {
        ($lifetime:ident: $first:ident $(, $rest:ident)*) => {
            chain!(@link $first $(, $rest)*);
        };
        (@link $a:ident, $b:ident $(, $rest:ident)*) => {
            #[injectable]
            pub struct $a {
                _next: Arc<$b>,
            }
            chain!(@link $b $(, $rest)*);
        };
        (@link $last:ident) => {
            #[injectable]
            pub struct $last;
        };
    }

    macro_rules! deep {
        ($($t:ident)*) => {
            chain!(singleton: $($t),*);
            container! {
                pub struct App {
                    $(singleton $t;)*
                }
            }
        };
    }

    deep!(
        T000 T001 T002 T003 T004 T005 T006 T007 T008 T009 T010 T011 T012 T013 T014 T015 T016 T017 T018 T019
        T020 T021 T022 T023 T024 T025 T026 T027 T028 T029 T030 T031 T032 T033 T034 T035 T036 T037 T038 T039
        T040 T041 T042 T043 T044 T045 T046 T047 T048 T049 T050 T051 T052 T053 T054 T055 T056 T057 T058 T059
        T060 T061 T062 T063 T064 T065 T066 T067 T068 T069 T070 T071 T072 T073 T074 T075 T076 T077 T078 T079
        T080 T081 T082 T083 T084 T085 T086 T087 T088 T089 T090 T091 T092 T093 T094 T095 T096 T097 T098 T099
        T100 T101 T102 T103 T104 T105 T106 T107 T108 T109 T110 T111 T112 T113 T114 T115 T116 T117 T118 T119
        T120 T121 T122 T123 T124 T125 T126 T127 T128 T129 T130 T131 T132 T133 T134 T135 T136 T137 T138 T139
        T140 T141 T142 T143 T144 T145 T146 T147 T148 T149 T150 T151 T152 T153 T154 T155 T156 T157 T158 T159
        T160 T161 T162 T163 T164 T165 T166 T167 T168 T169 T170 T171 T172 T173 T174 T175 T176 T177 T178 T179
        T180 T181 T182 T183 T184 T185 T186 T187 T188 T189 T190 T191 T192 T193 T194 T195 T196 T197 T198 T199
    );

    #[test]
    fn a_200_deep_chain_resolves_on_a_2_mib_stack() {
        let resolved = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(|| {
                let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
                rt.block_on(async { App::new().resolve::<Arc<T000>>().await.map(drop) })
            })
            .unwrap()
            .join()
            .expect("the resolving thread overflowed its stack or panicked");
        resolved.unwrap();
    }
}
