//! The axum integration against a real server on 127.0.0.1 and a real HTTP client: one scope
//! per request, disposed after the response, also when the client goes away mid-request or the
//! handler panics. Outcomes, streaming bodies and shutdown: `tests/axum_lifecycle.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use injectq::axum::{Inject, InjectqRouter, ScopeLayer};
use injectq::{AsyncDispose, BoxError, container, injectable};
use support::eventually;
use tokio::sync::Notify;

mod support;

/// What a test observes, shared through the container.
#[derive(Default)]
pub struct Stats {
    contexts_created: AtomicUsize,
    contexts_disposed: AtomicUsize,
    handler_started: Notify,
}

#[injectable]
pub struct Pool {
    _stats: Arc<Stats>,
}

#[injectable(init = open, dispose)]
pub struct RequestContext {
    stats: Arc<Stats>,
    #[inject(default)]
    id: usize,
}

impl RequestContext {
    async fn open(&mut self) -> Result<(), BoxError> {
        self.id = self.stats.contexts_created.fetch_add(1, SeqCst);
        Ok(())
    }
}

impl AsyncDispose for RequestContext {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.stats.contexts_disposed.fetch_add(1, SeqCst);
        Ok(())
    }
}

/// The seeds' `AsyncUserService`, per request.
#[injectable]
pub struct UserService {
    pool: Arc<Pool>,
    context: Arc<RequestContext>,
}

container! {
    pub struct App {
        value Stats;
        singleton Pool;
        scoped RequestContext;
        transient UserService;
    }
}

/// The seeds' `@app.get("/users/{user_id}")`.
async fn get_user(Path(user_id): Path<u32>, Inject(users): Inject<UserService>) -> String {
    let pool = Arc::as_ptr(&users.pool) as usize;
    format!("user{user_id} request={} pool={pool}", users.context.id)
}

/// Starts, then never finishes: the client gives up.
async fn slow(Inject(context): Inject<Arc<RequestContext>>) -> String {
    context.stats.handler_started.notify_one();
    std::future::pending::<()>().await;
    unreachable!()
}

async fn crash(Inject(_context): Inject<Arc<RequestContext>>) -> String {
    panic!("handler bug");
}

async fn serve(app: App, with_layer: bool) -> String {
    let router =
        Router::new().route("/users/{user_id}", get(get_user)).route("/slow", get(slow)).route("/crash", get(crash));
    // the layer and the state in one call, or (to see what a forgotten layer does) the state only
    let router: Router = if with_layer { router.with_container(app) } else { router.with_state(app) };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_gets_its_scope_singletons_are_shared_and_disposal_follows_each_response() {
    let stats = Arc::new(Stats::default());
    let base = serve(App::new(Arc::clone(&stats)), true).await;
    let client = reqwest::Client::new();
    let mut pools = Vec::new();
    for (n, user) in [7, 8, 9].into_iter().enumerate() {
        let body = client.get(format!("{base}/users/{user}")).send().await.unwrap().text().await.unwrap();
        assert!(body.starts_with(&format!("user{user} request={n} ")), "{body}");
        pools.push(body.split("pool=").nth(1).unwrap().to_owned());
        eventually("the request's scope is disposed after its response", || {
            stats.contexts_disposed.load(SeqCst) == n + 1
        })
        .await;
    }
    assert!(pools.iter().all(|p| *p == pools[0]), "the singleton is shared: {pools:?}");
    assert_eq!(stats.contexts_created.load(SeqCst), 3, "one context per request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_disconnects_mid_request_still_gets_its_scope_disposed() {
    let stats = Arc::new(Stats::default());
    let base = serve(App::new(Arc::clone(&stats)), true).await;
    let started = stats.handler_started.notified();
    let request = tokio::spawn(async move { reqwest::get(format!("{base}/slow")).await });
    started.await;
    assert_eq!((stats.contexts_created.load(SeqCst), stats.contexts_disposed.load(SeqCst)), (1, 0));
    request.abort(); // the client goes away; the server drops the request
    eventually("the dropped request's scope is disposed", || stats.contexts_disposed.load(SeqCst) == 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_still_gets_its_scope_disposed() {
    let stats = Arc::new(Stats::default());
    let base = serve(App::new(Arc::clone(&stats)), true).await;
    let response = reqwest::get(format!("{base}/crash")).await;
    assert!(response.is_err(), "the connection is closed by the panic");
    eventually("the panicked request's scope is disposed", || stats.contexts_disposed.load(SeqCst) == 1).await;
    assert_eq!(stats.contexts_created.load(SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_layer_the_extractor_answers_500() {
    let base = serve(App::new(Stats::default()), false).await;
    let response = reqwest::get(format!("{base}/users/1")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::INTERNAL_SERVER_ERROR);
    // what the log says: the missing layer, and the call that installs it
    let logged = injectq::axum::InjectRejection::NoScope.to_string();
    assert!(logged.contains("`.with_container(app)`"), "{logged}");
}

/// An application's own state, holding the container among other things.
#[derive(Clone)]
pub struct AppState {
    app: App,
    greeting: &'static str,
}

impl injectq::axum::HasContainer for AppState {
    type Container = App;
}

async fn greet(
    axum::extract::State(state): axum::extract::State<AppState>,
    Inject(users): Inject<UserService>,
) -> String {
    format!("{} from request {}", state.greeting, users.context.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_can_be_your_own_struct() {
    let stats = Arc::new(Stats::default());
    let app = App::new(Arc::clone(&stats));
    let state = AppState { app: app.clone(), greeting: "hello" };
    let router: Router =
        Router::new().route("/greet", get(greet)).layer(ScopeLayer::new(state.app.clone())).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let body = reqwest::get(format!("http://{address}/greet")).await.unwrap().text().await.unwrap();
    assert_eq!(body, "hello from request 0");
    eventually("the request's scope is disposed", || stats.contexts_disposed.load(SeqCst) == 1).await;
}
