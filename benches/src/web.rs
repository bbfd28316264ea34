//! The request that the web benchmarks serve (`src/bin/throughput.rs`, and the `axum_*` and
//! `tonic_*` scenarios of `src/bin/instructions.rs`): open a request scope, resolve 3 scoped
//! services (one with an async disposer, one needing a singleton) and answer; the same wired by
//! hand (a state holding the singleton's `Arc`, the services as `Arc`s, the disposal written
//! out); and a route that injects nothing. Each is an axum route and a tonic unary method.
//!
//! The gRPC service is written out as tonic's code generator would write it, with the messages
//! derived by prost: no `.proto` to compile, so nothing to install and no build script.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use injectq::axum::{Inject, InjectqRouter, ScopeLayer};
use injectq::tonic::RequestScope;
use injectq::{AsyncDispose, BoxError, container, injectable};

/// The application's connection pool (a singleton), counting the connections handed back.
#[injectable]
pub struct Pool {
    #[inject(default)]
    returned: AtomicU64,
}

impl Pool {
    /// The connections handed back so far.
    pub fn returned(&self) -> u64 {
        self.returned.load(Relaxed)
    }
}

/// A request's connection, handed back to the pool when the request's scope ends.
#[injectable(dispose)]
pub struct Connection {
    pool: Arc<Pool>,
}

impl AsyncDispose for Connection {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.pool.returned.fetch_add(1, Relaxed);
        Ok(())
    }
}

/// The request's audit trail.
#[injectable]
pub struct Audit;

/// The route's service.
#[injectable]
pub struct Orders {
    connection: Arc<Connection>,
    audit: Arc<Audit>,
}

impl Orders {
    /// The answer, from both of its dependencies.
    pub fn answer(&self) -> &'static str {
        let _ = (&self.connection, &self.audit);
        "ok"
    }
}

container! {
    pub struct WebApp {
        singleton Pool;
        scoped Connection;
        scoped Audit;
        scoped Orders;
    }
}

/// What the route wired by hand holds: the singleton.
#[derive(Clone)]
pub struct Hand {
    pool: Arc<Pool>,
}

impl Hand {
    pub fn new() -> Self {
        Hand { pool: Arc::new(Pool { returned: AtomicU64::new(0) }) }
    }

    /// The route by hand: the three services as `Arc`s, the connection handed back before the
    /// answer.
    pub async fn answer(&self) -> &'static str {
        let connection = Arc::new(Connection { pool: Arc::clone(&self.pool) });
        let audit = Arc::new(Audit);
        let orders = Arc::new(Orders { connection: Arc::clone(&connection), audit });
        let answer = orders.answer();
        drop(orders);
        connection.dispose().await.expect("handed back");
        answer
    }
}

impl Default for Hand {
    fn default() -> Self {
        Hand::new()
    }
}

// ------------------------------------------------------------------------------------- axum

async fn injected(Inject(orders): Inject<Arc<Orders>>) -> &'static str {
    orders.answer()
}

async fn by_hand(State(hand): State<Hand>) -> &'static str {
    hand.answer().await
}

async fn bare() -> &'static str {
    "ok"
}

/// The axum routers measured, by name: `bare`, `hand`, `injectq` (the response first, the
/// disposal after) and `injectq_before` (`dispose_before_response`). Each answers `GET /`.
pub fn routers(app: &WebApp) -> Vec<(&'static str, Router)> {
    vec![
        ("bare", Router::new().route("/", get(bare))),
        ("hand", Router::new().route("/", get(by_hand)).with_state(Hand::new())),
        ("injectq", Router::new().route("/", get(injected)).with_container(app.clone())),
        (
            "injectq_before",
            Router::new()
                .route("/", get(injected))
                .with_scope_layer(ScopeLayer::new(app.clone()).dispose_before_response()),
        ),
    ]
}

// ------------------------------------------------------------------------------------ tonic

/// The request of the unary method `bench.Bench/Ask`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Ask {
    #[prost(uint64, tag = "1")]
    pub id: u64,
}

/// Its answer.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Answer {
    #[prost(string, tag = "1")]
    pub text: String,
}

/// The full name of the method.
pub const ASK: &str = "/bench.Bench/Ask";

/// How a [`BenchServer`] answers.
#[derive(Clone)]
pub enum Handler {
    /// nothing injected
    Bare,
    /// by hand
    Hand(Hand),
    /// from the call's scope, opened by `injectq::tonic::ScopeLayer`
    Injectq,
}

impl Handler {
    async fn ask(self, request: tonic::Request<Ask>) -> Result<tonic::Response<Answer>, tonic::Status> {
        let text = match self {
            Handler::Bare => "ok",
            Handler::Hand(hand) => hand.answer().await,
            Handler::Injectq => request.scope::<WebApp>()?.resolve::<Arc<Orders>>().await?.answer(),
        };
        Ok(tonic::Response::new(Answer { text: text.to_owned() }))
    }
}

/// The gRPC service `bench.Bench`, as tonic's generated server is written.
#[derive(Clone)]
pub struct BenchServer {
    handler: Handler,
}

impl BenchServer {
    pub fn new(handler: Handler) -> Self {
        BenchServer { handler }
    }
}

impl tonic::server::NamedService for BenchServer {
    const NAME: &'static str = "bench.Bench";
}

/// The method, for tonic's `Grpc::unary`.
struct AskMethod(Handler);

impl tonic::server::UnaryService<Ask> for AskMethod {
    type Response = Answer;
    type Future = Pin<Box<dyn Future<Output = Result<tonic::Response<Answer>, tonic::Status>> + Send>>;

    fn call(&mut self, request: tonic::Request<Ask>) -> Self::Future {
        Box::pin(self.0.clone().ask(request))
    }
}

impl tower_service::Service<http::Request<tonic::body::Body>> for BenchServer {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        let handler = self.handler.clone();
        Box::pin(async move {
            if request.uri().path() != ASK {
                return Ok(tonic::Status::unimplemented("").into_http());
            }
            let mut grpc = tonic::server::Grpc::new(tonic_prost::ProstCodec::default());
            Ok(grpc.unary(AskMethod(handler), request).await)
        })
    }
}

/// A gRPC request for `ASK` in one HTTP/2 request's body: the 5-byte frame header (not
/// compressed, the length), then the message.
pub fn ask_body(id: u64) -> bytes::Bytes {
    let message = prost::Message::encode_to_vec(&Ask { id });
    let mut framed = Vec::with_capacity(5 + message.len());
    framed.push(0);
    framed.extend_from_slice(&(message.len() as u32).to_be_bytes());
    framed.extend_from_slice(&message);
    framed.into()
}

/// A unary call to `ASK`, as a client sends it.
pub fn ask_request(body: bytes::Bytes) -> http::Request<tonic::body::Body> {
    http::Request::post(format!("http://bench{ASK}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(tonic::body::Body::new(http_body_util::Full::new(body)))
        .expect("a valid request")
}
