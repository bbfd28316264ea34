//! `get`: a resolve without awaiting. It compiles only where nothing in the type's by-value graph
//! must be awaited every time (tests/ui has the cases that do not); at run time it builds the
//! transients by plain calls, creates by plain calls the shared services that are not created
//! yet and can be, and is a `NotReady` error, never a wait, for one that must be awaited.
//!
//! Each service counts its constructions in a field's default (an init hook would make it one
//! that must be awaited).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use injectq::{ErrorKind, Lazy, Provider, container, factory, injectable};
use support::Failure;

mod support;

/// Counts one construction; the field's value is the count so far.
fn counted(counter: &AtomicUsize) -> usize {
    counter.fetch_add(1, SeqCst) + 1
}

/// Every test that waits or races is bounded: a deadlock fails it instead of hanging.
const LIMIT: Duration = Duration::from_secs(20);

mod transient_graph {
    use super::*;

    pub struct Settings {
        pub url: String,
    }

    #[injectable]
    pub struct Pool {
        pub settings: Arc<Settings>,
    }

    pub struct Codec(pub u8);

    #[factory]
    fn make_codec() -> Codec {
        Codec(7)
    }

    #[injectable]
    pub struct Query {
        pub pool: Arc<Pool>,
        pub codec: Codec,
    }

    #[injectable]
    pub struct Handler {
        pub query: Query,
        pub again: Box<Query>,
        pub lazy_pool: Lazy<Pool>,
        pub queries: Provider<Query>,
    }

    container! {
        pub struct App {
            value Settings;
            singleton Pool;
            transient Codec = make_codec;
            transient Query;
            transient Handler;
        }
    }

    #[tokio::test]
    async fn is_built_by_plain_calls_from_the_root_and_from_a_scope() {
        let app = App::new(Settings { url: "db://x".into() });
        let handler: Handler = app.get().unwrap();
        assert_eq!(handler.query.pool.settings.url, "db://x");
        assert_eq!(handler.query.codec.0, 7);
        assert_eq!(handler.again.codec.0, 7);
        // the singleton it created on the way is the one the container keeps
        let pool: Arc<Pool> = app.resolve().await.unwrap();
        assert!(Arc::ptr_eq(&pool, &handler.query.pool));
        assert!(Arc::ptr_eq(&pool, &handler.lazy_pool.get().await.unwrap()));
        assert!(Arc::ptr_eq(&pool, &handler.queries.get().await.unwrap().pool));

        let scope = app.create_scope();
        let in_scope: Handler = scope.get().unwrap();
        assert!(Arc::ptr_eq(&pool, &in_scope.query.pool));
        let boxed: Box<Query> = scope.get().unwrap();
        assert_eq!(boxed.codec.0, 7);
    }

    #[test]
    fn works_with_no_runtime_at_all() {
        // a plain thread, no tokio: nothing of `get` needs an executor
        let app = App::new(Settings { url: "db://y".into() });
        let handler: Handler = app.get().unwrap();
        assert_eq!(handler.query.pool.settings.url, "db://y");
    }

    /// Code generic over the container, as an integration is.
    fn through_the_traits<C>(app: &C) -> (Handler, Handler)
    where
        C: injectq::Container + injectq::Provide<Handler> + injectq::GetNow<Handler>,
        C::Inputs: Default,
        C::Scope: injectq::Provide<Handler> + injectq::GetNow<Handler>,
    {
        let scope = app.create_scope_with(Default::default());
        (injectq::Container::get(app).unwrap(), injectq::Scope::get(&scope).unwrap())
    }

    #[test]
    fn is_had_through_the_container_and_scope_traits() {
        let app = App::new(Settings { url: "db://t".into() });
        let (from_root, from_scope) = through_the_traits(&app);
        assert!(Arc::ptr_eq(&from_root.query.pool, &from_scope.query.pool));
    }

    #[test]
    fn after_dispose_is_an_error() {
        let app = App::new(Settings { url: "db://z".into() });
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(app.dispose()).unwrap();
        let err = app.get::<Handler>().err().expect("a disposed container hands out nothing");
        assert_eq!(err.kind(), ErrorKind::Disposed);
    }
}

mod shared_services {
    use super::*;

    pub static LEAVES: AtomicUsize = AtomicUsize::new(0);
    pub static MIDS: AtomicUsize = AtomicUsize::new(0);
    pub static HEADS: AtomicUsize = AtomicUsize::new(0);

    #[injectable]
    pub struct Leaf {
        #[inject(default = counted(&LEAVES))]
        pub n: usize,
    }

    #[injectable]
    pub struct Mid {
        pub leaf: Arc<Leaf>,
        #[inject(default = counted(&MIDS))]
        pub n: usize,
    }

    #[injectable]
    pub struct Head {
        pub mid: Arc<Mid>,
        #[inject(default = counted(&HEADS))]
        pub n: usize,
    }

    /// What each thread gets: a new one each time, over the singletons.
    #[injectable]
    pub struct Work {
        pub head: Arc<Head>,
    }

    container! {
        pub struct App {
            singleton Leaf;
            singleton Mid;
            singleton Head;
            transient Work;
        }
    }

    pub const ROUNDS: usize = 20;
    pub const THREADS: usize = 8;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn created_cold_by_racing_threads_are_created_exactly_once() {
        tokio::time::timeout(LIMIT, async {
            for round in 1..=ROUNDS {
                let app = Arc::new(App::new());
                // released together, so that their first `get`s overlap
                let start = Arc::new(std::sync::Barrier::new(THREADS));
                let threads: Vec<_> = (0..THREADS)
                    .map(|_| {
                        let (app, start) = (Arc::clone(&app), Arc::clone(&start));
                        tokio::task::spawn_blocking(move || {
                            start.wait();
                            let mut heads = Vec::new();
                            for _ in 0..50 {
                                // another thread may be creating the chain right now: then `get`
                                // says so rather than wait, and this thread asks again
                                match app.get::<Work>() {
                                    Ok(work) => heads.push(Arc::as_ptr(&work.head) as usize),
                                    Err(e) => assert_eq!(e.kind(), ErrorKind::NotReady, "{e}"),
                                }
                            }
                            heads
                        })
                    })
                    .collect();
                let mut seen = Vec::new();
                for thread in threads {
                    seen.extend(thread.await.unwrap());
                }
                assert!(!seen.is_empty(), "some `get` succeeded");
                assert!(seen.iter().all(|p| *p == seen[0]), "one head for the whole container");
                assert_eq!(LEAVES.load(SeqCst), round, "one leaf per container");
                assert_eq!(MIDS.load(SeqCst), round, "one mid per container");
                assert_eq!(HEADS.load(SeqCst), round, "one head per container");
            }
        })
        .await
        .expect("`get` never blocks, so this cannot hang");
    }
}

mod scoped_services {
    use super::*;

    pub static SCOPED: AtomicUsize = AtomicUsize::new(0);

    #[injectable]
    pub struct Clock;

    #[injectable]
    pub struct Request {
        pub clock: Arc<Clock>,
        #[inject(default = counted(&SCOPED))]
        pub n: usize,
    }

    container! {
        pub struct App {
            singleton Clock;
            scoped Request;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_scoped_service_is_created_by_plain_calls_in_its_scope_once() {
        tokio::time::timeout(LIMIT, async {
            let app = App::new();
            let scope = app.create_scope();
            let got: Arc<Request> = scope.get().unwrap();
            let resolved: Arc<Request> = scope.resolve().await.unwrap();
            assert!(Arc::ptr_eq(&got, &resolved), "the scope keeps what `get` created");
            assert_eq!(SCOPED.load(SeqCst), 1, "created once, by `get`");
            assert_eq!(got.n, 1);
            // and another scope has its own
            let other: Arc<Request> = app.create_scope().get().unwrap();
            assert!(!Arc::ptr_eq(&got, &other));
            assert!(Arc::ptr_eq(&got.clock, &other.clock), "the singletons are shared");
        })
        .await
        .unwrap();
    }
}

mod must_be_awaited {
    use super::*;

    /// Released by the test: the init hook waits for it.
    pub static OPEN: tokio::sync::Notify = tokio::sync::Notify::const_new();
    /// Notified when the init hook started.
    pub static STARTED: tokio::sync::Notify = tokio::sync::Notify::const_new();

    #[injectable(init = connect)]
    pub struct Pool;

    impl Pool {
        async fn connect(&mut self) {
            STARTED.notify_one();
            OPEN.notified().await;
        }
    }

    #[injectable]
    pub struct Repo {
        pub pool: Arc<Pool>,
    }

    #[injectable]
    pub struct Handler {
        pub repo: Arc<Repo>,
    }

    pub struct Conn;

    #[factory]
    fn open_conn() -> Result<Conn, Failure> {
        Err(Failure("connection refused"))
    }

    #[injectable]
    pub struct Report {
        pub conn: Arc<Conn>,
    }

    pub struct Remote;

    #[factory]
    async fn dial() -> Remote {
        tokio::task::yield_now().await;
        Remote
    }

    /// Built by `get` over a singleton made by an async factory: what the messages of
    /// `must-await` advise (register what must be awaited as a singleton, and `start()`).
    #[injectable]
    pub struct Client {
        pub remote: Arc<Remote>,
    }

    container! {
        pub struct App {
            singleton Pool;
            singleton Repo;
            transient Handler;
            singleton Conn = open_conn;
            transient Report;
            singleton Remote = dial;
            transient Client;
        }
    }

    #[tokio::test]
    async fn a_singleton_made_by_an_async_factory_is_had_by_get_once_started() {
        let app = App::new();
        let err = app.get::<Client>().err().expect("`Remote` is not created yet");
        assert_eq!(err.kind(), ErrorKind::NotReady);
        assert_eq!(err.path().collect::<Vec<_>>(), ["Client", "Remote"], "{err}");
        app.resolve::<Arc<Remote>>().await.unwrap();
        let client: Client = app.get().unwrap();
        assert!(Arc::ptr_eq(&client.remote, &app.resolve::<Arc<Remote>>().await.unwrap()));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_singleton_with_an_init_hook_is_not_ready_until_created_and_get_never_waits() {
        tokio::time::timeout(LIMIT, async {
            let app = Arc::new(App::new());
            // not created: `get` cannot create it without awaiting its init hook
            let err = app.get::<Handler>().err().expect("`Pool` must be awaited");
            assert_eq!(err.kind(), ErrorKind::NotReady);
            assert_eq!(err.path().collect::<Vec<_>>(), ["Handler", "Repo", "Pool"], "{err}");
            assert!(err.to_string().contains("`get` does not wait"), "{err}");

            // being created by another task, whose init hook waits: still not ready, at once
            let creating = tokio::spawn({
                let app = Arc::clone(&app);
                async move { app.resolve::<Arc<Pool>>().await.map(drop) }
            });
            STARTED.notified().await;
            let err = app.get::<Arc<Repo>>().err().expect("another task is creating `Pool`");
            assert_eq!(err.kind(), ErrorKind::NotReady);

            OPEN.notify_one();
            creating.await.unwrap().unwrap();
            // created: `get` creates what is left (`Repo`) by plain calls, and builds the rest
            let handler = app.get::<Handler>().unwrap();
            let repo: Arc<Repo> = app.resolve().await.unwrap();
            assert!(Arc::ptr_eq(&handler.repo, &repo));
        })
        .await
        .unwrap();
    }

    #[test]
    fn a_failing_factory_is_its_error_with_the_path_and_is_tried_again() {
        let app = App::new();
        for _ in 0..2 {
            let err = app.get::<Report>().err().expect("the factory fails");
            assert_eq!(err.kind(), ErrorKind::Factory);
            assert_eq!(err.path().collect::<Vec<_>>(), ["Report", "Conn"], "{err}");
        }
    }
}

/// A failure deep in a by-value graph built by plain calls: each level hands up its value alone
/// and leaves a failure beside it, and each transient it passes names itself on the error's path.
mod failing_transients {
    use super::*;

    pub struct Token(pub u32);

    pub static CALLS: AtomicUsize = AtomicUsize::new(0);

    /// Fails its first two calls, then succeeds.
    #[factory]
    fn issue_token() -> Result<Token, Failure> {
        match counted(&CALLS) {
            1 | 2 => Err(Failure("the issuer is down")),
            n => Ok(Token(n as u32)),
        }
    }

    #[injectable]
    pub struct Signer {
        pub token: Token,
    }

    #[injectable]
    pub struct Request {
        #[inject(default = 1)]
        pub id: u8,
        pub signer: Signer,
    }

    container! {
        pub struct App {
            transient Token = issue_token;
            transient Signer;
            transient Request;
        }
    }

    pub struct Unit;

    pub struct Seal(pub u32);

    pub static SEALS: AtomicUsize = AtomicUsize::new(0);

    /// Fails its first call, then succeeds.
    #[factory]
    fn seal() -> Result<Seal, Failure> {
        match counted(&SEALS) {
            1 => Err(Failure("the sealer is down")),
            n => Ok(Seal(n as u32)),
        }
    }

    /// Thirteen injected fields: past the runtime's `now_N` functions, so `#[injectable]` writes
    /// its plain-call building inline; its last field fails once.
    #[injectable]
    pub struct Wide {
        pub f0: Arc<Unit>,
        pub f1: Arc<Unit>,
        pub f2: Arc<Unit>,
        pub f3: Arc<Unit>,
        pub f4: Arc<Unit>,
        pub f5: Arc<Unit>,
        pub f6: Arc<Unit>,
        pub f7: Arc<Unit>,
        pub f8: Arc<Unit>,
        pub f9: Arc<Unit>,
        pub f10: Arc<Unit>,
        pub f11: Arc<Unit>,
        pub seal: Seal,
    }

    container! {
        pub struct WideApp {
            value Unit;
            transient Seal = seal;
            transient Wide;
        }
    }

    #[tokio::test]
    async fn a_struct_of_thirteen_fields_is_built_by_plain_calls_and_its_failure_named() {
        let app = WideApp::new(Arc::new(Unit));
        let err = app.get::<Wide>().err().expect("the first call fails");
        assert_eq!(err.kind(), ErrorKind::Factory);
        assert_eq!(err.path().collect::<Vec<_>>(), ["Wide", "Seal"], "{err}");
        let wide = app.get::<Wide>().unwrap();
        assert!(Arc::ptr_eq(&wide.f0, &wide.f11), "one value, handed to every field");
        assert_eq!(wide.seal.0, 2);
        let wide: Wide = app.resolve().await.unwrap();
        assert_eq!(wide.seal.0, 3);
    }

    #[tokio::test]
    async fn its_error_names_the_whole_path_from_get_and_from_resolve_and_the_next_call_builds() {
        let app = App::new();
        let err = app.get::<Request>().err().expect("the first call fails");
        assert_eq!(err.kind(), ErrorKind::Factory);
        assert_eq!(err.path().collect::<Vec<_>>(), ["Request", "Signer", "Token"], "{err}");
        let err = app.resolve::<Request>().await.err().expect("the second call fails");
        assert_eq!(err.kind(), ErrorKind::Factory);
        assert_eq!(err.path().collect::<Vec<_>>(), ["Request", "Signer", "Token"], "{err}");
        let request = app.get::<Request>().unwrap();
        assert_eq!((request.id, request.signer.token.0), (1, 3));
        let request: Request = app.resolve().await.unwrap();
        assert_eq!(request.signer.token.0, 4);
    }
}

mod panics {
    use super::*;
    use std::sync::atomic::AtomicBool;

    pub static PANICKED: AtomicBool = AtomicBool::new(false);

    /// Panics the first time one is built.
    fn fragile() -> u8 {
        if !PANICKED.swap(true, SeqCst) {
            panic!("the first construction panics");
        }
        1
    }

    #[injectable]
    pub struct Leaf {
        #[inject(default = fragile())]
        pub n: u8,
    }

    #[injectable]
    pub struct Head {
        pub leaf: Arc<Leaf>,
    }

    container! {
        pub struct App {
            singleton Leaf;
            singleton Head;
        }
    }

    #[test]
    fn a_constructor_that_panics_leaves_nothing_behind_and_the_next_get_creates_it() {
        let app = App::new();
        let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.get::<Arc<Head>>()));
        assert!(first.is_err(), "the panic reaches the caller");
        // neither slot is filled, no gate is left taken, and the mode of plain calls is off
        let head = app.get::<Arc<Head>>().expect("created by the second `get`");
        assert_eq!(head.leaf.n, 1);
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let resolved = runtime.block_on(app.resolve::<Arc<Head>>()).unwrap();
        assert!(Arc::ptr_eq(&head, &resolved));
    }
}

mod racing_disposal {
    use super::*;
    use injectq::{AsyncDispose, BoxError};

    pub static CREATED: AtomicUsize = AtomicUsize::new(0);
    pub static DISPOSED: AtomicUsize = AtomicUsize::new(0);

    /// Counts a construction that takes a while, so that the root's disposal often begins
    /// while one is under way (and the session built is then refused, and disposed at once).
    fn slowly_counted() -> usize {
        let until = std::time::Instant::now() + Duration::from_micros(50);
        while std::time::Instant::now() < until {
            std::hint::spin_loop();
        }
        counted(&CREATED)
    }

    #[injectable(dispose)]
    pub struct Session {
        #[inject(default = slowly_counted())]
        pub n: usize,
    }

    impl AsyncDispose for Session {
        async fn dispose(&self) -> Result<(), BoxError> {
            DISPOSED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    container! {
        pub struct App {
            scoped Session;
        }
    }

    pub const ROUNDS: usize = 200;
    pub const THREADS: usize = 4;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn scopes_disposed_while_threads_get_lose_nothing_and_dispose_nothing_twice() {
        tokio::time::timeout(LIMIT, async {
            for _ in 0..ROUNDS {
                let app = App::new();
                let scopes: Vec<_> = (0..THREADS).map(|_| app.create_scope()).collect();
                let start = Arc::new(std::sync::Barrier::new(THREADS + 1));
                let threads: Vec<_> = scopes
                    .iter()
                    .cloned()
                    .map(|scope| {
                        let start = Arc::clone(&start);
                        tokio::task::spawn_blocking(move || {
                            start.wait();
                            // until the scope is disposed: created once, or refused
                            loop {
                                match scope.get::<Arc<Session>>() {
                                    Ok(session) => assert!(session.n >= 1),
                                    Err(e) if e.kind() == ErrorKind::Disposed => break,
                                    Err(e) => panic!("only `Disposed` can stop a `get` here: {e}"),
                                }
                            }
                        })
                    })
                    .collect();
                tokio::task::spawn_blocking({
                    let start = Arc::clone(&start);
                    move || start.wait()
                })
                .await
                .unwrap();
                // the root's disposal disposes its open scopes, while their threads `get`
                app.dispose().await.unwrap();
                for thread in threads {
                    thread.await.unwrap();
                }
            }
            // a disposal refused at once may finish on the runtime: give it its turn
            for _ in 0..100 {
                if DISPOSED.load(SeqCst) == CREATED.load(SeqCst) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            let (created, disposed) = (CREATED.load(SeqCst), DISPOSED.load(SeqCst));
            assert!(created > 0 && created <= ROUNDS * THREADS, "at most one session per scope: {created}");
            assert_eq!(disposed, created, "every session created is disposed, once");
        })
        .await
        .expect("`get` never blocks, and disposal ends");
    }
}
