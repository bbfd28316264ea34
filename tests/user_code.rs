//! User code that the container runs while it creates a service (a constructor, a sync factory)
//! runs as any code does: a resolve it makes, even one it blocks on, behaves as it would
//! anywhere else. Before, a sync factory called by plain calls inherited an internal mode in which
//! a resolve it awaited spun forever, at 100% CPU, holding the service's gate.
//!
//! Each call that could spin or block runs on a thread of its own, waited for with a deadline, so
//! that a hang fails the test instead of hanging the suite.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use futures_util::FutureExt;
use injectq::{ErrorKind, Lazy, container, factory, injectable};

const LIMIT: Duration = Duration::from_secs(20);

/// `f()` on a thread of its own: its result, or a failure if it does not return in time.
fn on_a_thread<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(f());
    });
    result.recv_timeout(LIMIT).unwrap_or_else(|_| panic!("{what} did not return within {LIMIT:?}"))
}

/// Created by awaiting: its factory is `async`.
pub struct Remote;

#[factory]
async fn dial() -> Remote {
    tokio::task::yield_now().await;
    Remote
}

/// Assembled: built by plain calls once `Remote` is created.
#[injectable]
pub struct Client {
    pub remote: Arc<Remote>,
}

/// A service of an older API: its sync factory bridges to async code with a runtime of its own.
pub struct Legacy {
    pub client: Option<Arc<Client>>,
}

#[factory]
fn bridge(client: Lazy<Client>) -> Legacy {
    let own = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    Legacy { client: Some(own.block_on(client.get()).expect("the client resolves")) }
}

/// The same, but it only polls the resolve once and takes what it gets.
pub struct Peek {
    pub client: Option<Arc<Client>>,
}

#[factory]
fn peek(client: Lazy<Client>) -> Peek {
    Peek { client: client.get().now_or_never().and_then(Result::ok) }
}

container! {
    pub struct App {
        singleton Remote = dial;
        singleton Client;
        singleton Legacy = bridge;
        singleton Peek = peek;
    }
}

#[test]
fn a_sync_factory_that_blocks_on_a_resolve_is_created_by_get() {
    let legacy = on_a_thread("get of a service whose factory blocks on a resolve", || {
        App::new().get::<Arc<Legacy>>().map(|legacy| legacy.client.is_some())
    });
    assert_eq!(legacy.map_err(|e| e.kind()), Ok(true));
}

#[test]
fn with_a_create_timeout_too() {
    let legacy = on_a_thread("get with a create timeout", || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let _entered = runtime.enter(); // the create timeout needs tokio's timer
        let app = App::new();
        app.set_create_timeout(Duration::from_secs(1));
        app.get::<Arc<Legacy>>().map(|legacy| legacy.client.is_some())
    });
    assert_eq!(legacy.map_err(|e| e.kind()), Ok(true));
}

#[test]
fn a_resolve_polled_once_by_a_sync_factory_returns_at_once() {
    let peeked = on_a_thread("get of a service whose factory polls a resolve once", || {
        App::new().get::<Arc<Peek>>().map(|peek| peek.client.is_some())
    });
    // `Remote` must be awaited, so the one poll finds the client not created yet
    assert_eq!(peeked.map_err(|e| e.kind()), Ok(false));
}

/// A service that needs `Legacy`, resolved by awaiting on the multi-thread runtime: `Legacy`,
/// a dependency, is created by plain calls on the way, and its factory blocks on a resolve in
/// place (`block_in_place`).
pub struct Report {
    pub client: Arc<Client>,
}

#[factory]
fn report(client: Lazy<Client>) -> Report {
    let client = tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(client.get()));
    Report { client: client.expect("the client resolves") }
}

#[injectable]
pub struct Dashboard {
    pub report: Arc<Report>,
}

container! {
    pub struct Reports {
        singleton Remote = dial;
        singleton Client;
        singleton Report = report;
        singleton Dashboard;
    }
}

#[test]
fn a_dependency_whose_factory_blocks_in_place_on_a_resolve() {
    // the runtime on a thread of its own: a worker that spun would stop its timers too
    let resolved = on_a_thread("an awaited resolve whose dependency blocks in place", || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let reports = Reports::new();
            tokio::spawn(async move { reports.resolve::<Arc<Dashboard>>().await.map(drop) }).await.unwrap()
        })
    });
    assert!(resolved.is_ok(), "{resolved:?}");
}

/// A sync factory that blocks on a resolve of the very service it is creating: it would wait for
/// itself. It gets a `Cycle` error instead, and the service's creation fails with it.
pub struct Selfish;

#[factory]
fn selfish(me: Lazy<Selfish>) -> Result<Selfish, injectq::Error> {
    let own = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    own.block_on(me.get())?;
    Ok(Selfish)
}

container! {
    pub struct Loop {
        singleton Selfish = selfish;
    }
}

#[test]
fn a_sync_factory_blocking_on_its_own_service_is_a_cycle_not_a_hang() {
    let created = on_a_thread("get of a service whose factory blocks on itself", || {
        Loop::new().get::<Arc<Selfish>>().map(drop).map_err(|e| (e.kind(), e.to_string()))
    });
    let (kind, message) = created.expect_err("it cannot be created");
    assert_eq!(kind, ErrorKind::Factory, "{message}");
    assert!(message.contains("`Selfish` -> `Selfish`"), "{message}");
    println!("{message}");
}
