//! The synchronous path (`Provide::NOW` / `now_ready` / `provide_now`): a transient graph whose
//! every part can be had without awaiting is built by plain calls (its speed is measured in
//! benches/), and `resolve()` is done on its first poll, and not again if polled again. It never
//! skips what must be awaited (an init hook, a singleton not created yet), never builds a part
//! twice, and still refuses a disposed container. A singleton or scoped service whose
//! dependencies are ready is created by plain calls too: still exactly once across threads, and
//! still disposed, also when its creation races the disposal of its scope.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::task::{Context, Poll, Waker};

use injectq::{container, injectable};

/// Polls `future` once, with a waker that does nothing: `Some` if it was done at once.
fn first_poll<F: Future>(future: F) -> Option<F::Output> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

static COUNTED_DROPPED: AtomicUsize = AtomicUsize::new(0);
static INITS: AtomicUsize = AtomicUsize::new(0);

#[injectable]
pub struct Leaf {
    #[inject(default = 7)]
    v: u64,
}

/// Counts its drops (only the test that builds it does).
#[injectable]
pub struct Counted;

impl Drop for Counted {
    fn drop(&mut self) {
        COUNTED_DROPPED.fetch_add(1, SeqCst);
    }
}

#[injectable]
pub struct Report {
    first: Counted,
    second: Counted,
    settings: Arc<Settings>,
}

#[injectable]
pub struct Settings {
    #[inject(default = 3)]
    retries: u32,
}

/// A transient of transients and a singleton.
#[injectable]
pub struct Handler {
    first: Leaf,
    second: Leaf,
    settings: Arc<Settings>,
}

/// Built with an async init hook: never by the synchronous path.
#[injectable(init = start)]
pub struct Worker {
    leaf: Leaf,
    #[inject(default)]
    started: bool,
}

impl Worker {
    async fn start(&mut self) -> Result<(), std::convert::Infallible> {
        tokio::task::yield_now().await;
        INITS.fetch_add(1, SeqCst);
        self.started = true;
        Ok(())
    }
}

container! {
    pub struct App {
        singleton Settings;
        transient Leaf;
        transient Handler;
        transient Worker;
    }
}

container! {
    pub struct Reports {
        singleton Settings;
        transient Counted;
        transient Report;
    }
}

#[tokio::test]
async fn a_transient_graph_over_created_singletons_is_done_on_the_first_poll() {
    let app = App::new();
    // the singleton is not created yet: the first resolution awaits its creation
    let handler = app.resolve::<Handler>().await.unwrap();
    assert_eq!(handler.first.v + handler.second.v, 14);
    // now every part is ready: done at once, from the root and from a scope, by value and boxed
    let again = first_poll(app.resolve::<Handler>()).expect("done on the first poll").unwrap();
    assert!(Arc::ptr_eq(&again.settings, &handler.settings));
    assert_eq!(again.settings.retries, 3);
    let scope = app.create_scope();
    assert!(first_poll(scope.resolve::<Box<Handler>>()).expect("done on the first poll").is_ok());
    assert!(first_poll(scope.resolve::<Arc<Leaf>>()).expect("done on the first poll").is_ok());
}

#[tokio::test]
async fn a_part_is_never_built_twice_when_the_graph_falls_back_to_the_async_path() {
    let app = Reports::new();
    // `Settings` is not created: the synchronous path must not build the two parts, give up on
    // the singleton and drop them; the async path builds each part once
    let report = app.resolve::<Report>().await.unwrap();
    assert_eq!(COUNTED_DROPPED.load(SeqCst), 0, "a part was built and thrown away");
    assert_eq!(report.settings.retries, 3);
    let Report { first, second, .. } = report;
    drop((first, second));
    assert_eq!(COUNTED_DROPPED.load(SeqCst), 2);
    // ready now: built on the first poll, again with each part once
    let report = first_poll(app.resolve::<Report>()).expect("done on the first poll").unwrap();
    assert_eq!(COUNTED_DROPPED.load(SeqCst), 2, "a part was built and thrown away");
    drop(report);
    assert_eq!(COUNTED_DROPPED.load(SeqCst), 4);
}

/// Four of the layer below: `Wide` is a tree of 1 + 4 + 16 + 64 = 85 objects, built by value,
/// above the limit of what is built inline (`Branch`, 21 objects, is below it): `Wide` is built by
/// a call of its own, which must build the same as inline.
#[injectable]
pub struct Twig {
    a: Leaf,
    b: Leaf,
    c: Leaf,
    d: Leaf,
    settings: Arc<Settings>,
}

#[injectable]
pub struct Branch {
    a: Twig,
    b: Twig,
    c: Twig,
    d: Twig,
}

#[injectable]
pub struct Wide {
    a: Branch,
    b: Branch,
    c: Branch,
    d: Branch,
}

impl Wide {
    /// Every leaf's value, and how many distinct `Settings` the twigs hold.
    fn sum(&self) -> (u64, usize) {
        let twigs = [&self.a, &self.b, &self.c, &self.d].into_iter().flat_map(|b| [&b.a, &b.b, &b.c, &b.d]);
        let mut seen: Vec<*const Settings> = Vec::new();
        let mut sum = 0;
        for t in twigs {
            sum += t.a.v + t.b.v + t.c.v + t.d.v;
            let p = Arc::as_ptr(&t.settings);
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        (sum, seen.len())
    }
}

container! {
    pub struct Forest {
        singleton Settings;
        transient Leaf;
        transient Twig;
        transient Branch;
        transient Wide;
    }
}

#[tokio::test]
async fn a_large_transient_graph_is_built_whole_by_either_path() {
    let app = Forest::new();
    // `Settings` is not created: the async path
    let wide = app.resolve::<Wide>().await.unwrap();
    assert_eq!(wide.sum(), (64 * 7, 1), "64 leaves of 7, one singleton");
    // now ready: built by plain calls, on the first poll, from the root and from a scope
    let again = first_poll(app.resolve::<Wide>()).expect("done on the first poll").unwrap();
    assert_eq!(again.sum(), (64 * 7, 1));
    assert!(Arc::ptr_eq(&again.a.a.settings, &wide.d.d.settings));
    let scope = app.create_scope();
    let boxed = first_poll(scope.resolve::<Box<Wide>>()).expect("done on the first poll").unwrap();
    assert_eq!(boxed.sum(), (64 * 7, 1));
}

#[tokio::test]
async fn an_init_hook_is_always_awaited() {
    let app = App::new();
    let before = INITS.load(SeqCst);
    // the hook yields once, so the resolution cannot be done on its first poll
    assert!(first_poll(app.resolve::<Worker>()).is_none());
    let worker = app.resolve::<Worker>().await.unwrap();
    assert!(worker.started);
    assert_eq!(worker.leaf.v, 7);
    // the first poll above started a resolution that was dropped before its hook finished
    assert_eq!(INITS.load(SeqCst), before + 1);
}

#[tokio::test]
async fn a_disposed_container_refuses_even_what_is_ready() {
    let app = App::new();
    app.resolve::<Handler>().await.unwrap();
    app.dispose().await.unwrap();
    let refused = first_poll(app.resolve::<Handler>()).expect("refused at once");
    assert_eq!(refused.err().map(|e| e.kind()), Some(injectq::ErrorKind::Disposed));
}

static TICKETS_DROPPED: AtomicUsize = AtomicUsize::new(0);

/// Counts its drops, for the one test that builds it.
#[injectable]
pub struct Ticket;

impl Drop for Ticket {
    fn drop(&mut self) {
        TICKETS_DROPPED.fetch_add(1, SeqCst);
    }
}

container! {
    pub struct Tickets {
        transient Ticket;
    }
}

#[test]
fn a_resolution_done_on_its_first_poll_is_not_done_again_when_polled_again() {
    let app = Tickets::new();
    let mut resolving = pin!(app.resolve::<Ticket>());
    let waker = Waker::noop();
    assert!(matches!(resolving.as_mut().poll(&mut Context::from_waker(waker)), Poll::Ready(Ok(_))));
    assert_eq!(TICKETS_DROPPED.load(SeqCst), 1, "the resolved value was handed over, then dropped");
    // polling a completed future is the caller's bug: it is told so, and nothing is built again
    let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = resolving.as_mut().poll(&mut Context::from_waker(waker));
    }));
    let payload = again.expect_err("a second poll must not resolve again");
    let message = payload.downcast_ref::<String>().map(String::as_str).or(payload.downcast_ref::<&str>().copied());
    assert_eq!(message, Some("a resolution polled after it completed"));
    assert_eq!(TICKETS_DROPPED.load(SeqCst), 1, "a second value was built");
}

/// Singletons and scoped services with no init hook, created by plain calls when their
/// dependencies are ready. Each test has its own types, so that its counters are its own.
mod shared {
    use super::*;
    use injectq::{AsyncDispose, BoxError, ErrorKind};

    /// A service of each kind, counted: created (the default of a field), disposed, disposed twice.
    macro_rules! counted {
        ($mod:ident) => {
            // each case reads what it checks: the fields one case never reads are not dead
            #[allow(dead_code)]
            pub mod $mod {
                use super::*;

                pub static CREATED: AtomicUsize = AtomicUsize::new(0);
                pub static DISPOSED: AtomicUsize = AtomicUsize::new(0);
                pub static TWICE: AtomicUsize = AtomicUsize::new(0);

                /// Counts the creations of what holds it.
                pub struct Created;

                impl Default for Created {
                    fn default() -> Self {
                        CREATED.fetch_add(1, SeqCst);
                        Created
                    }
                }

                #[injectable]
                pub struct Config {
                    #[inject(default = 5)]
                    pub pool_size: u32,
                }

                /// Scoped, disposable, needing a singleton: created by plain calls once `Config`
                /// is.
                #[injectable(dispose)]
                pub struct Conn {
                    #[inject(default)]
                    _created: Created,
                    #[inject(default)]
                    disposed: std::sync::atomic::AtomicBool,
                    pub config: Arc<Config>,
                }

                impl AsyncDispose for Conn {
                    async fn dispose(&self) -> Result<(), BoxError> {
                        if self.disposed.swap(true, SeqCst) {
                            TWICE.fetch_add(1, SeqCst);
                        }
                        DISPOSED.fetch_add(1, SeqCst);
                        Ok(())
                    }
                }

                container! {
                    pub struct Db {
                        singleton Config;
                        scoped Conn;
                    }
                }
            }
        };
    }

    counted!(first_poll_case);
    counted!(threads_case);
    counted!(disposal_case);

    #[tokio::test]
    async fn a_ready_singleton_and_scoped_service_are_created_on_the_first_poll_and_disposed() {
        use first_poll_case::*;
        let app = Db::new();
        let config = first_poll(app.resolve::<Arc<Config>>()).expect("done on the first poll").unwrap();
        let scope = app.create_scope();
        let conn = first_poll(scope.resolve::<Arc<Conn>>()).expect("done on the first poll").unwrap();
        assert!(Arc::ptr_eq(&conn.config, &config), "the scoped service got the root's singleton");
        let again = first_poll(scope.resolve::<Arc<Conn>>()).expect("done on the first poll").unwrap();
        assert!(Arc::ptr_eq(&conn, &again), "one instance per scope");
        assert_eq!(CREATED.load(SeqCst), 1);
        scope.dispose().await.unwrap();
        assert_eq!(DISPOSED.load(SeqCst), 1, "created by plain calls, still disposed with its scope");
        assert_eq!(scope.resolve::<Arc<Conn>>().await.err().map(|e| e.kind()), Some(ErrorKind::Disposed));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_hundred_tasks_times_a_hundred_rounds_create_one_instance_per_scope() {
        use threads_case::*;
        const ROUNDS: usize = 100;
        const TASKS: usize = 100;
        for round in 0..ROUNDS {
            let app = Db::new();
            // half the rounds create the singleton first; the others race its creation too
            if round % 2 == 0 {
                app.resolve::<Arc<Config>>().await.unwrap();
            }
            let scope = app.create_scope();
            let tasks: Vec<_> = (0..TASKS)
                .map(|_| {
                    let scope = scope.clone();
                    tokio::spawn(async move { scope.resolve::<Arc<Conn>>().await })
                })
                .collect();
            let mut conns = Vec::with_capacity(TASKS);
            for task in tasks {
                conns.push(task.await.expect("no panic").expect("resolved"));
            }
            assert!(conns.iter().all(|c| Arc::ptr_eq(c, &conns[0])), "tasks got different instances");
            assert_eq!(CREATED.load(SeqCst), round + 1, "round {round}: not exactly one creation");
            drop(conns);
            scope.dispose().await.unwrap();
            assert_eq!(DISPOSED.load(SeqCst), round + 1);
        }
        assert_eq!(TWICE.load(SeqCst), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn creations_racing_the_disposal_of_their_scope_lose_no_disposer() {
        use disposal_case::*;
        const SCOPES: usize = 3000;
        const RESOLVERS: usize = 8;
        let app = Db::new();
        app.resolve::<Arc<Config>>().await.unwrap();
        for i in 0..SCOPES {
            let scope = app.create_scope();
            let tasks: Vec<_> = (0..RESOLVERS)
                .map(|_| {
                    let scope = scope.clone();
                    tokio::spawn(async move {
                        if let Err(e) = scope.resolve::<Arc<Conn>>().await {
                            assert_eq!(e.kind(), ErrorKind::Disposed, "only disposal may stop a resolve");
                        }
                    })
                })
                .collect();
            if i % 2 == 0 {
                tokio::task::yield_now().await;
            }
            scope.dispose().await.expect("the scope disposes cleanly");
            for task in tasks {
                task.await.expect("no panic");
            }
        }
        // a creation refused by a closing scope is disposed by the refusing resolve, before it
        // returns its error: every task has finished, so every disposal has run
        assert_eq!(DISPOSED.load(SeqCst), CREATED.load(SeqCst), "a created service was not disposed");
        assert!(CREATED.load(SeqCst) <= SCOPES, "more than one creation in a scope");
        assert_eq!(TWICE.load(SeqCst), 0, "a service was disposed twice");
        app.dispose().await.unwrap();
    }
}
