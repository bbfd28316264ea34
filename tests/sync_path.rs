//! The synchronous path (`Provide::NOW` / `now_ready` / `provide_now`): a transient graph whose
//! every part can be had without awaiting is built by plain calls (its speed is measured in
//! benches/), and `resolve()` is done on its first poll. It never skips what must be awaited (an
//! init hook, a singleton not created yet), never builds a part twice, and still refuses a
//! disposed container.

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
