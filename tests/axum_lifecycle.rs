//! The lifecycle of a request's scope under `ScopeLayer`, against a real server on 127.0.0.1 and a
//! real HTTP client: the response goes before disposal, a streaming body keeps its scope until its
//! last chunk, the disposers see how the request ended, and `shutdown` waits for the requests in
//! flight. Every wait is bounded, so a hang fails the test.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::StatusCode;
use axum::routing::get;
use injectq::axum::{Inject, ScopeLayer};
use injectq::{AsyncDispose, BoxError, Outcome, container, injectable};
use support::{bounded, eventually};
use tokio::sync::{Notify, Semaphore};

mod support;

/// What one test's requests did, shared through the container.
pub struct Probe {
    /// what each disposer saw, in the order they ran
    outcomes: Mutex<Vec<Outcome>>,
    disposed: AtomicUsize,
    /// disposers wait for a permit here when `hold` is set
    hold: AtomicBool,
    release: Semaphore,
    /// handlers of `/wait` wait for a permit here
    handlers: Semaphore,
    entered: Notify,
    entered_count: AtomicUsize,
    /// chunks of a streaming body that found their connection disposed
    used_after_disposal: AtomicUsize,
    /// disposers fail when set
    fail: AtomicBool,
}

impl Default for Probe {
    fn default() -> Self {
        Probe {
            outcomes: Mutex::default(),
            disposed: AtomicUsize::default(),
            hold: AtomicBool::default(),
            release: Semaphore::new(0),
            handlers: Semaphore::new(0),
            entered: Notify::new(),
            entered_count: AtomicUsize::default(),
            used_after_disposal: AtomicUsize::default(),
            fail: AtomicBool::default(),
        }
    }
}

impl Probe {
    fn outcomes(&self) -> Vec<Outcome> {
        self.outcomes.lock().unwrap().clone()
    }
}

/// A request's connection, which records how its request ended.
#[injectable(dispose)]
pub struct Connection {
    probe: Arc<Probe>,
    #[inject(default)]
    closed: AtomicBool,
}

impl AsyncDispose for Connection {
    async fn dispose(&self) -> Result<(), BoxError> {
        unreachable!("the container calls dispose_after")
    }

    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        if self.probe.hold.load(SeqCst) {
            self.probe.release.acquire().await?.forget();
        }
        self.closed.store(true, SeqCst);
        self.probe.outcomes.lock().unwrap().push(outcome);
        self.probe.disposed.fetch_add(1, SeqCst);
        if self.probe.fail.load(SeqCst) { Err("commit failed".into()) } else { Ok(()) }
    }
}

/// A scoped service with nothing to dispose: resolving it shows whether scopes are refused.
#[injectable]
pub struct Marker;

container! {
    pub struct App {
        value Probe;
        scoped Connection;
        scoped Marker;
    }
}

async fn ok(Inject(_c): Inject<Arc<Connection>>) -> &'static str {
    "ok"
}

async fn fail(Inject(_c): Inject<Arc<Connection>>) -> (StatusCode, &'static str) {
    (StatusCode::INTERNAL_SERVER_ERROR, "no")
}

async fn missing(Inject(_c): Inject<Arc<Connection>>) -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "none")
}

async fn no_content(Inject(_c): Inject<Arc<Connection>>) -> StatusCode {
    StatusCode::NO_CONTENT
}

/// A 304 with a body: the server sends none, whatever the handler wrote.
async fn not_modified(Inject(_c): Inject<Arc<Connection>>) -> (StatusCode, &'static str) {
    (StatusCode::NOT_MODIFIED, "unchanged")
}

/// A 500 answered to a `HEAD`: still a failed request, though no body is sent.
async fn fail_head(Inject(_c): Inject<Arc<Connection>>) -> (StatusCode, &'static str) {
    (StatusCode::INTERNAL_SERVER_ERROR, "no")
}

async fn crash(Inject(_c): Inject<Arc<Connection>>) -> &'static str {
    panic!("handler bug")
}

/// Waits for a permit, then answers.
async fn wait(Inject(c): Inject<Arc<Connection>>) -> &'static str {
    c.probe.entered_count.fetch_add(1, SeqCst);
    c.probe.entered.notify_waiters();
    c.probe.handlers.acquire().await.unwrap().forget();
    "done"
}

/// Waits for a permit, then resolves from its request's scope: what a handler that resolves
/// late gets.
async fn late(scope: axum::Extension<AppScope>) -> Result<&'static str, injectq::axum::InjectRejection> {
    use injectq::axum::InjectRejection::Failed;
    let probe = scope.resolve::<Arc<Probe>>().await.map_err(Failed)?;
    probe.entered_count.fetch_add(1, SeqCst);
    probe.entered.notify_waiters();
    probe.handlers.acquire().await.unwrap().forget();
    scope.resolve::<Arc<Marker>>().await.map_err(Failed)?;
    Ok("done")
}

/// Three chunks, a few milliseconds apart, each using the request's connection.
async fn stream(Inject(c): Inject<Arc<Connection>>) -> Body {
    let chunks = futures_util::stream::unfold(0, move |n| {
        let c = Arc::clone(&c);
        async move {
            if n == 3 {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
            if c.closed.load(SeqCst) {
                c.probe.used_after_disposal.fetch_add(1, SeqCst);
            }
            Some((Ok::<_, std::io::Error>(format!("chunk{n};")), n + 1))
        }
    });
    Body::from_stream(chunks)
}

/// One chunk, then nothing more: the client gives up half-way.
async fn endless(Inject(c): Inject<Arc<Connection>>) -> Body {
    let first = futures_util::stream::once(async { Ok::<_, std::io::Error>("first;") });
    let endless = futures_util::stream::pending();
    let _keep = c;
    Body::from_stream(futures_util::StreamExt::chain(first, endless))
}

async fn serve(app: &App, layer: ScopeLayer<App>) -> String {
    let router: Router = Router::new()
        .route("/ok", get(ok))
        .route("/fail", get(fail))
        .route("/missing", get(missing))
        .route("/crash", get(crash))
        .route("/wait", get(wait))
        .route("/late", get(late))
        .route("/stream", get(stream))
        .route("/endless", get(endless))
        .route("/no-content", get(no_content))
        .route("/not-modified", get(not_modified))
        .route("/fail-head", get(fail_head))
        .layer(layer)
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

fn new_app() -> (App, Arc<Probe>) {
    let probe = Arc::new(Probe::default());
    (App::new(Arc::clone(&probe)), probe)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_response_is_sent_before_the_scope_is_disposed() {
    let (app, probe) = new_app();
    probe.hold.store(true, SeqCst);
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    // the disposer cannot finish until the test lets it: the response must not wait for it
    let body =
        bounded("the response", async { reqwest::get(format!("{base}/ok")).await.unwrap().text().await.unwrap() })
            .await;
    assert_eq!(body, "ok");
    assert_eq!(probe.disposed.load(SeqCst), 0, "the disposer is still waiting");
    probe.release.add_permits(1);
    eventually("the scope is disposed after the response", || probe.disposed.load(SeqCst) == 1).await;
    assert_eq!(probe.outcomes(), [Outcome::Completed]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_body_uses_its_scoped_services_until_its_last_chunk() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    for round in 1..=5 {
        let body = bounded("the stream", async {
            reqwest::get(format!("{base}/stream")).await.unwrap().text().await.unwrap()
        })
        .await;
        assert_eq!(body, "chunk0;chunk1;chunk2;");
        eventually("the scope is disposed once the body ended", || probe.disposed.load(SeqCst) == round).await;
    }
    assert_eq!(probe.used_after_disposal.load(SeqCst), 0, "no chunk found its connection disposed");
    assert_eq!(probe.outcomes(), [Outcome::Completed; 5]);
}

/// One request to `path`, then the outcome its scope's disposer saw.
async fn outcome_of(base: &str, probe: &Probe, path: &str) -> Outcome {
    let before = probe.disposed.load(SeqCst);
    let url = format!("{base}{path}");
    match path {
        // the client goes away while the handler waits
        "/wait" => {
            let request = tokio::spawn(async move { reqwest::get(url).await });
            eventually("the handler started", || probe.entered_count.load(SeqCst) > 0).await;
            request.abort();
        }
        // the client reads the first chunk, then goes away
        "/endless" => {
            let mut response = reqwest::get(url).await.unwrap();
            let first = bounded("the first chunk", response.chunk()).await.unwrap().unwrap();
            assert_eq!(&first[..], b"first;");
            drop(response);
        }
        "/crash" => assert!(reqwest::get(url).await.is_err(), "the panic closes the connection"),
        _ => drop(reqwest::get(url).await.unwrap().text().await.unwrap()),
    }
    eventually("the request's scope is disposed", || probe.disposed.load(SeqCst) == before + 1).await;
    *probe.outcomes().last().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disposers_see_how_each_request_ended() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    let matrix = [
        ("/ok", Outcome::Completed),
        ("/missing", Outcome::Completed),
        ("/fail", Outcome::Failed),
        ("/crash", Outcome::Panicked),
        ("/wait", Outcome::Cancelled),
        ("/endless", Outcome::Cancelled),
        ("/stream", Outcome::Completed),
    ];
    for (path, expected) in matrix {
        assert_eq!(outcome_of(&base, &probe, path).await, expected, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_chooses_which_statuses_count_as_failed() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone()).failed_when(|status| !status.is_success())).await;
    assert_eq!(outcome_of(&base, &probe, "/missing").await, Outcome::Failed);
    assert_eq!(outcome_of(&base, &probe, "/ok").await, Outcome::Completed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disposed_before_the_response_the_response_reports_the_disposal() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone()).dispose_before_response()).await;
    for (path, status, outcome) in [("/ok", 200, Outcome::Completed), ("/fail", 500, Outcome::Failed)] {
        let before = probe.disposed.load(SeqCst);
        let response = bounded("a response", reqwest::get(format!("{base}{path}"))).await.unwrap();
        // the disposer ran before the response was handed over
        assert_eq!(probe.disposed.load(SeqCst), before + 1, "{path}");
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert_eq!(probe.outcomes().last(), Some(&outcome), "{path}");
    }
    // a disposal that fails (a commit) must not be answered as a success
    probe.fail.store(true, SeqCst);
    let response = bounded("a response", reqwest::get(format!("{base}/ok"))).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.text().await.unwrap(), "internal error: the request's work could not be completed");
}

pub const IN_FLIGHT: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_waits_for_the_requests_in_flight_and_refuses_new_ones() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    let requests: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let url = format!("{base}/wait");
            tokio::spawn(async move { reqwest::get(url).await.unwrap().status() })
        })
        .collect();
    eventually("every handler started", || probe.entered_count.load(SeqCst) == IN_FLIGHT).await;
    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown(Duration::from_secs(20)).await }
    });
    // a request that arrives now is refused: its scope cannot resolve anything
    eventually("the shutdown began", || app.create_scope().resolve::<Arc<Marker>>().now_or_never_is_err()).await;
    let refused = bounded("a refused request", reqwest::get(format!("{base}/ok"))).await.unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(!shutdown.is_finished(), "the handlers still hold their scopes");
    assert_eq!(probe.disposed.load(SeqCst), 0);
    probe.handlers.add_permits(IN_FLIGHT);
    for request in requests {
        assert_eq!(bounded("a request in flight", request).await.unwrap(), StatusCode::OK);
    }
    bounded("the shutdown", shutdown).await.unwrap().expect("a clean shutdown");
    // shutdown returned after every scope in flight was disposed: nothing is left behind
    assert_eq!(probe.disposed.load(SeqCst), IN_FLIGHT);
    assert_eq!(probe.outcomes(), [Outcome::Completed; IN_FLIGHT]);
    // and a request that still reaches the server (it stops after the container) is refused the
    // same way: a load balancer retries a 503, and counts a 500 as an error
    for _ in 0..20 {
        let late = bounded("a request after the shutdown", reqwest::get(format!("{base}/ok"))).await.unwrap();
        assert_eq!(late.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}

/// A request in flight whose scope the shutdown's deadline cut short, resolving afterwards: 503
/// too, not a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_cut_short_by_the_shutdown_deadline_is_answered_503() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    let request = tokio::spawn({
        let url = format!("{base}/late");
        async move { reqwest::get(url).await.unwrap().status() }
    });
    eventually("the handler started", || probe.entered_count.load(SeqCst) == 1).await;
    bounded("the shutdown", app.shutdown(Duration::from_millis(10))).await.expect_err("one request was still open");
    probe.handlers.add_permits(1);
    assert_eq!(bounded("the request cut short", request).await.unwrap(), StatusCode::SERVICE_UNAVAILABLE);
}

pub const REQUESTS: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_leave_early_lose_no_disposer_and_shutdown_waits_for_each() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    let client = reqwest::Client::new();
    let requests: Vec<_> = (0..REQUESTS)
        .map(|i| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                // half read their response, half leave after its head
                let response = client.get(format!("{base}/stream")).send().await.unwrap();
                if i % 2 == 0 {
                    drop(response.text().await);
                }
            })
        })
        .collect();
    for request in requests {
        bounded("a request", request).await.unwrap();
    }
    bounded("the shutdown", app.shutdown(Duration::from_secs(20))).await.expect("a clean shutdown");
    assert_eq!(probe.disposed.load(SeqCst), REQUESTS, "every request's connection was disposed, none lost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_still_open_at_the_deadline_is_disposed_as_cancelled_and_reported() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    let _hanging = tokio::spawn(reqwest::get(format!("{base}/wait")));
    eventually("the handler started", || probe.entered_count.load(SeqCst) == 1).await;
    let error = bounded("the shutdown", app.shutdown(Duration::from_millis(50))).await.unwrap_err();
    assert_eq!(error.failures().len(), 1, "{error}");
    assert_eq!(error.failures()[0].scopes_still_open(), Some(1));
    // no disposer failed: the scope still open is said apart
    assert_eq!(error.to_string(), "disposing `App`: 1 `AppScope` was still open at the shutdown deadline");
    assert_eq!(probe.outcomes(), [Outcome::Cancelled], "its connection was disposed anyway, as cut short");
}

/// A resolution that fails on its first poll.
trait FailsAtOnce {
    fn now_or_never_is_err(self) -> bool;
}

impl<F: std::future::Future<Output = injectq::Result<T>>, T> FailsAtOnce for F {
    fn now_or_never_is_err(self) -> bool {
        matches!(futures_util::FutureExt::now_or_never(self), Some(Err(_)))
    }
}

/// A response without a body to send (to a `HEAD`, or a 204 or 304) ends its scope with the
/// response's outcome: its body is dropped unpolled, which is not a client that went away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_without_a_body_ends_its_scope_as_the_response_says() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    let client = reqwest::Client::new();
    let requests = [
        (reqwest::Method::HEAD, "/ok", StatusCode::OK, Outcome::Completed),
        (reqwest::Method::HEAD, "/stream", StatusCode::OK, Outcome::Completed),
        (reqwest::Method::HEAD, "/fail-head", StatusCode::INTERNAL_SERVER_ERROR, Outcome::Failed),
        (reqwest::Method::GET, "/no-content", StatusCode::NO_CONTENT, Outcome::Completed),
        (reqwest::Method::GET, "/not-modified", StatusCode::NOT_MODIFIED, Outcome::Completed),
    ];
    for (round, (method, path, status, expected)) in requests.into_iter().enumerate() {
        for i in 0..20 {
            let before = probe.disposed.load(SeqCst);
            let response =
                bounded("the response", client.request(method.clone(), format!("{base}{path}")).send()).await.unwrap();
            assert_eq!(response.status().as_u16(), status.as_u16(), "{method} {path}");
            drop(bounded("its body", response.bytes()).await.unwrap());
            eventually("the scope is disposed", || probe.disposed.load(SeqCst) == before + 1).await;
            assert_eq!(*probe.outcomes().last().unwrap(), expected, "{method} {path}, round {round}.{i}");
        }
    }
}

/// The layer calls its inner service at once, inside the request's scope: what a service does in
/// `call` itself, before its future (a tower service built with `service_fn`, tower-http's trace
/// layer making its span), finds the scope current and resolves from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_synchronous_part_of_the_inner_call_runs_in_the_requests_scope() {
    use tower::{Layer, ServiceExt};
    let (app, probe) = new_app();
    let service = ScopeLayer::new(app.clone()).layer(tower::service_fn(|_: axum::http::Request<Body>| {
        // before any future: the scope is current here already
        let connection = AppScope::current().and_then(|scope| scope.get::<Arc<Connection>>());
        async move {
            connection.map(|_| axum::http::Response::new(Body::from("in scope"))).map_err(|error| error.to_string())
        }
    }));
    let response = bounded("the call", service.oneshot(axum::http::Request::new(Body::empty()))).await.unwrap();
    let body = bounded("the body", axum::body::to_bytes(response.into_body(), 64)).await.unwrap();
    assert_eq!(body, "in scope");
    eventually("the scope is disposed after the body", || probe.disposed.load(SeqCst) == 1).await;
    assert_eq!(probe.outcomes(), [Outcome::Completed]);
}

/// An inner service whose `call` panics before making its future: the panic goes on to the
/// server, and the scope (its connection resolved in that call) is disposed as `Panicked`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inner_call_that_panics_at_once_ends_its_scope_as_panicked() {
    use futures_util::FutureExt;
    use tower::{Layer, Service};
    let (app, probe) = new_app();
    let mut service = ScopeLayer::new(app.clone()).layer(tower::service_fn(|_: axum::http::Request<Body>| {
        let _connection = AppScope::current().and_then(|scope| scope.get::<Arc<Connection>>()).unwrap();
        if true {
            panic!("a bug in the service's call");
        }
        std::future::ready(Ok::<_, std::convert::Infallible>(axum::http::Response::new(Body::empty())))
    }));
    let called = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        service.call(axum::http::Request::new(Body::empty())).now_or_never()
    }));
    assert!(called.is_err(), "the panic goes on");
    eventually("the panicked call's scope is disposed", || probe.disposed.load(SeqCst) == 1).await;
    assert_eq!(probe.outcomes(), [Outcome::Panicked]);
    bounded("the shutdown", app.shutdown(Duration::from_secs(5))).await.expect("nothing left open");
}

/// A request's scope is disposed where its response ends: a disposer that finishes at once is
/// done there, and one that waits is finished by a task of the runtime. 64 requests at once, half
/// of whose disposers wait: every connection disposed once, and the shutdown waits for the ones
/// still waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disposals_that_wait_are_finished_on_the_runtime_and_those_that_do_not_at_once() {
    let (app, probe) = new_app();
    let base = serve(&app, ScopeLayer::new(app.clone())).await;
    let client = reqwest::Client::new();
    for hold in [false, true] {
        probe.hold.store(hold, SeqCst);
        let requests: Vec<_> = (0..32)
            .map(|_| {
                let (client, base) = (client.clone(), base.clone());
                tokio::spawn(
                    async move { client.get(format!("{base}/ok")).send().await.unwrap().text().await.unwrap() },
                )
            })
            .collect();
        for request in requests {
            assert_eq!(bounded("a request", request).await.unwrap(), "ok");
        }
        if !hold {
            eventually("the disposals that do not wait", || probe.disposed.load(SeqCst) == 32).await;
        }
    }
    // the waiting ones are all handed over, none done yet
    assert_eq!(probe.disposed.load(SeqCst), 32);
    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown(Duration::from_secs(10)).await }
    });
    probe.release.add_permits(32);
    bounded("the shutdown", shutdown).await.unwrap().expect("every scope disposed");
    assert_eq!(probe.disposed.load(SeqCst), 64, "each connection disposed once, none lost");
    assert!(probe.outcomes().iter().all(|outcome| *outcome == Outcome::Completed));
}
