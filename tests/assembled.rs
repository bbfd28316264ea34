//! Assembled services: a shared service with no init hook whose dependencies are all created once
//! (singletons, scoped services), values, tokens or handles is created by awaiting the creations
//! of its dependencies, then building it by plain calls. Its guarantees are those of every shared
//! service: created exactly once under concurrency, a failure or a cancellation leaves it empty
//! for the next resolve, disposal loses nothing, and disposal runs in reverse creation order.
//!
//! A transient *settles* when nothing in its by-value graph must be awaited every time: it is then
//! built the same way, and a failure on the way names it.
//!
//! Each service here counts its constructions in a field's default (an init hook would make it
//! not assembled), and each module asserts (through the hidden `Shared` and `Transient` impls
//! that `container!` writes) that its services are assembled or settle, so that these tests
//! exercise that path and not the `async` one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use injectq::__private::{Shared, Transient};
use injectq::{AsyncDispose, BoxError, ErrorKind, container, factory, injectable};
use support::Failure;

mod support;

/// Counts one construction; the field's value is the count so far.
fn counted(counter: &AtomicUsize) -> usize {
    counter.fetch_add(1, SeqCst) + 1
}

/// A connection that is refused the first time: `attempts` counts the tries.
async fn refused_once(attempts: &AtomicUsize) -> Result<(), Failure> {
    tokio::task::yield_now().await;
    if attempts.fetch_add(1, SeqCst) == 0 { Err(Failure("connection refused")) } else { Ok(()) }
}

/// Every test is bounded: a deadlock fails it instead of hanging.
const LIMIT: Duration = Duration::from_secs(20);

mod concurrent_first_resolves {
    use super::*;

    pub const ROUNDS: usize = 20;
    pub const TASKS: usize = 64;

    static LEAVES: AtomicUsize = AtomicUsize::new(0);
    static MIDS: AtomicUsize = AtomicUsize::new(0);
    static TOPS: AtomicUsize = AtomicUsize::new(0);

    pub struct Leaf;

    #[factory]
    async fn open_leaf() -> Leaf {
        // awaited, so that every creation above it takes the awaited path, and the first
        // resolves overlap
        tokio::time::sleep(Duration::from_millis(5)).await;
        LEAVES.fetch_add(1, SeqCst);
        Leaf
    }

    #[injectable]
    pub struct Mid {
        _leaf: Arc<Leaf>,
        #[inject(default = counted(&MIDS))]
        _n: usize,
    }

    #[injectable]
    pub struct Top {
        mid: Arc<Mid>,
        _leaf: Arc<Leaf>,
        #[inject(default = counted(&TOPS))]
        _n: usize,
    }

    container! {
        pub struct App {
            singleton Leaf = open_leaf;
            singleton Mid;
            singleton Top;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn every_service_of_a_chain_is_created_once_per_container() {
        const { assert!(<Mid as Shared<App>>::ASSEMBLED && <Top as Shared<App>>::ASSEMBLED) };
        tokio::time::timeout(LIMIT, async {
            for round in 1..=ROUNDS {
                let app = App::new();
                let tasks: Vec<_> = (0..TASKS)
                    .map(|i| {
                        let app = app.clone();
                        tokio::spawn(async move {
                            // half ask for the top, half for the middle: two ways into one chain
                            if i % 2 == 0 {
                                app.resolve::<Arc<Top>>().await.map(|top| Arc::clone(&top.mid))
                            } else {
                                app.resolve::<Arc<Mid>>().await
                            }
                        })
                    })
                    .collect();
                let mut mids = Vec::new();
                for task in tasks {
                    mids.push(task.await.expect("no panic").expect("resolved"));
                }
                assert!(mids.iter().all(|m| Arc::ptr_eq(m, &mids[0])), "tasks got different instances");
                assert_eq!(
                    [LEAVES.load(SeqCst), MIDS.load(SeqCst), TOPS.load(SeqCst)],
                    [round; 3],
                    "each service is created once per container"
                );
            }
        })
        .await
        .expect("concurrent creations must not deadlock");
    }
}

mod failed_dependency {
    use super::*;

    static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);
    static TOPS: AtomicUsize = AtomicUsize::new(0);

    pub struct Conn;

    #[factory]
    async fn connect() -> Result<Conn, Failure> {
        refused_once(&ATTEMPTS).await.map(|()| Conn)
    }

    #[injectable]
    pub struct Repo {
        _conn: Arc<Conn>,
    }

    #[injectable]
    pub struct Handler {
        _repo: Arc<Repo>,
        #[inject(default = counted(&TOPS))]
        _n: usize,
    }

    container! {
        pub struct App {
            singleton Conn = connect;
            singleton Repo;
            singleton Handler;
        }
    }

    #[tokio::test]
    async fn fails_with_the_path_and_the_next_resolve_creates_it() {
        const { assert!(<Handler as Shared<App>>::ASSEMBLED) };
        let app = App::new();
        let err = tokio::time::timeout(LIMIT, app.resolve::<Arc<Handler>>())
            .await
            .expect("bounded")
            .err()
            .expect("the connection is refused once");
        assert_eq!(err.kind(), ErrorKind::Factory);
        assert_eq!(err.path().collect::<Vec<_>>(), ["Handler", "Repo", "Conn"], "{err}");
        assert_eq!(TOPS.load(SeqCst), 0, "nothing is built when a dependency fails");
        tokio::time::timeout(LIMIT, app.resolve::<Arc<Handler>>()).await.expect("bounded").expect("the retry succeeds");
        assert_eq!((ATTEMPTS.load(SeqCst), TOPS.load(SeqCst)), (2, 1));
    }
}

mod cancelled {
    use super::*;

    static STARTED: AtomicUsize = AtomicUsize::new(0);
    static TOPS: AtomicUsize = AtomicUsize::new(0);

    pub struct Slow;

    #[factory]
    async fn slow() -> Slow {
        if STARTED.fetch_add(1, SeqCst) == 0 {
            // the first creation never finishes: its resolve is cancelled by a timeout
            std::future::pending::<()>().await;
        }
        Slow
    }

    #[injectable]
    pub struct Top {
        _slow: Arc<Slow>,
        #[inject(default = counted(&TOPS))]
        _n: usize,
    }

    container! {
        pub struct App {
            singleton Slow = slow;
            singleton Top;
        }
    }

    #[tokio::test]
    async fn while_awaiting_a_dependency_leaves_it_empty_for_the_next_resolve() {
        const { assert!(<Top as Shared<App>>::ASSEMBLED) };
        let app = App::new();
        let timed_out = tokio::time::timeout(Duration::from_millis(20), app.resolve::<Arc<Top>>()).await;
        assert!(timed_out.is_err(), "the first resolve is still waiting for `Slow`");
        let top = tokio::time::timeout(LIMIT, app.resolve::<Arc<Top>>()).await.expect("bounded").expect("the retry");
        let again = app.resolve::<Arc<Top>>().await.unwrap();
        assert!(Arc::ptr_eq(&top, &again));
        assert_eq!((STARTED.load(SeqCst), TOPS.load(SeqCst)), (2, 1));
    }
}

mod disposal {
    use super::*;

    pub const CONTAINERS: usize = 100;
    pub const RESOLVERS: usize = 8;

    static POOLS_CREATED: AtomicUsize = AtomicUsize::new(0);
    static POOLS_DISPOSED: AtomicUsize = AtomicUsize::new(0);
    static REPOS_CREATED: AtomicUsize = AtomicUsize::new(0);
    static REPOS_DISPOSED: AtomicUsize = AtomicUsize::new(0);
    static OUT_OF_ORDER: AtomicBool = AtomicBool::new(false);

    pub struct Conn;

    #[factory]
    async fn connect() -> Conn {
        tokio::task::yield_now().await;
        Conn
    }

    #[injectable(dispose)]
    pub struct Pool {
        _conn: Arc<Conn>,
        #[inject(default = counted(&POOLS_CREATED))]
        _n: usize,
        /// repos handed out and not disposed yet (a repo disposed before its task counts it
        /// makes this -1 for a moment)
        #[inject(default)]
        repos_alive: AtomicIsize,
    }

    impl AsyncDispose for Pool {
        async fn dispose(&self) -> Result<(), BoxError> {
            if self.repos_alive.load(SeqCst) > 0 {
                OUT_OF_ORDER.store(true, SeqCst);
            }
            POOLS_DISPOSED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    #[injectable(dispose)]
    pub struct Repo {
        pool: Arc<Pool>,
        #[inject(default = counted(&REPOS_CREATED))]
        _n: usize,
    }

    impl AsyncDispose for Repo {
        async fn dispose(&self) -> Result<(), BoxError> {
            REPOS_DISPOSED.fetch_add(1, SeqCst);
            self.pool.repos_alive.fetch_sub(1, SeqCst);
            Ok(())
        }
    }

    container! {
        pub struct App {
            singleton Conn = connect;
            singleton Pool;
            scoped Repo;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn racing_resolves_lose_no_disposer_and_dispose_dependents_first() {
        const { assert!(<Pool as Shared<App>>::ASSEMBLED && <Repo as Shared<AppScope>>::ASSEMBLED) };
        tokio::time::timeout(LIMIT, async {
            for i in 0..CONTAINERS {
                let app = App::new();
                let mut tasks = Vec::new();
                for _ in 0..RESOLVERS {
                    let app = app.clone();
                    tasks.push(tokio::spawn(async move {
                        let scope = app.create_scope();
                        match scope.resolve::<Arc<Repo>>().await {
                            Ok(repo) => {
                                repo.pool.repos_alive.fetch_add(1, SeqCst);
                            }
                            Err(e) => assert!(
                                matches!(e.kind(), ErrorKind::Disposed | ErrorKind::ShuttingDown),
                                "only disposal may stop a resolve: {e}"
                            ),
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
        })
        .await
        .expect("disposal racing creations must not deadlock");
        assert_eq!(POOLS_DISPOSED.load(SeqCst), POOLS_CREATED.load(SeqCst), "a pool was lost or disposed twice");
        assert_eq!(REPOS_DISPOSED.load(SeqCst), REPOS_CREATED.load(SeqCst), "a repo was lost or disposed twice");
        assert!(!OUT_OF_ORDER.load(SeqCst), "a pool was disposed before a repo that needs it");
    }
}

mod transients {
    use super::*;

    static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);
    static PARSERS: AtomicUsize = AtomicUsize::new(0);

    pub struct Conn;

    #[factory]
    async fn connect() -> Result<Conn, Failure> {
        refused_once(&ATTEMPTS).await.map(|()| Conn)
    }

    /// A transient over a singleton created by an async factory: it settles.
    #[injectable]
    pub struct Query {
        _conn: Arc<Conn>,
    }

    /// A transient over a transient that settles, and a singleton over it: both settle.
    #[injectable]
    pub struct Parser {
        _query: Query,
        #[inject(default = counted(&PARSERS))]
        n: usize,
    }

    #[injectable]
    pub struct Cache {
        _parser: Parser,
    }

    pub struct Clock(u64);

    /// A transient made by an async factory must be awaited every time: it does not settle, and
    /// neither does a transient that needs it, nor is a singleton over that assembled.
    #[factory]
    async fn read_clock() -> Clock {
        tokio::task::yield_now().await;
        Clock(7)
    }

    #[injectable]
    pub struct Stamp {
        clock: Clock,
        _query: Query,
    }

    #[injectable]
    pub struct Stamps {
        stamp: Stamp,
    }

    container! {
        pub struct App {
            singleton Conn = connect;
            transient Query;
            transient Parser;
            singleton Cache;
            transient Clock = read_clock;
            transient Stamp;
            singleton Stamps;
        }
    }

    #[tokio::test]
    async fn the_graph_finds_which_settle_and_a_failure_names_each_one_on_the_way() {
        const {
            assert!(<Query as Transient<AppScope>>::SETTLES && <Parser as Transient<AppScope>>::SETTLES);
            assert!(<Cache as Shared<App>>::ASSEMBLED);
            assert!(!<Clock as Transient<AppScope>>::SETTLES && !<Stamp as Transient<AppScope>>::SETTLES);
            assert!(!<Stamps as Shared<App>>::ASSEMBLED);
        };
        let app = App::new();
        let err = tokio::time::timeout(LIMIT, app.resolve::<Parser>())
            .await
            .expect("bounded")
            .err()
            .expect("the connection is refused once");
        assert_eq!(err.path().collect::<Vec<_>>(), ["Parser", "Query", "Conn"], "{err}");
        assert_eq!(PARSERS.load(SeqCst), 0, "nothing is built when a dependency fails");
        let first = app.resolve::<Parser>().await.expect("the retry creates the connection");
        let second = app.resolve::<Parser>().await.expect("built by plain calls now");
        assert_eq!((first.n, second.n), (1, 2), "a transient is built at every resolve");
        tokio::time::timeout(LIMIT, app.resolve::<Arc<Cache>>()).await.expect("bounded").expect("assembled");
        let stamps =
            tokio::time::timeout(LIMIT, app.resolve::<Arc<Stamps>>()).await.expect("bounded").expect("awaited");
        assert_eq!(stamps.stamp.clock.0, 7);
        assert_eq!(ATTEMPTS.load(SeqCst), 2);
    }
}
