//! tonic integration (feature `tonic`): one scope per gRPC call, unary or streaming, disposed
//! after the call's last message, with scope inputs taken from the call's metadata.
//!
//! Add [`ScopeLayer`] to the server; a handler reaches its call's scope through
//! [`RequestScope::scope`], and `?` turns injectq's errors into a [`Status`]:
//!
//! ```
//! use std::sync::Arc;
//! use injectq::tonic::{RequestScope, ScopeLayer};
//! use injectq::{container, injectable};
//! use tonic::{Request, Response, Status};
//!
//! #[injectable]
//! pub struct NoteStore;
//!
//! container! {
//!     pub struct App {
//!         scoped NoteStore;
//!     }
//! }
//!
//! // the body of a method of the service trait that tonic generated from the .proto
//! async fn get_note(request: Request<u64>) -> Result<Response<String>, Status> {
//!     let store: Arc<NoteStore> = request.scope::<App>()?.resolve().await?;
//!     # let _ = store;
//!     Ok(Response::new(format!("note {}", request.get_ref())))
//! }
//!
//! // `tonic::transport::Server::builder().layer(layer).add_service(..)`
//! let layer = ScopeLayer::new(App::new());
//! # let _ = (layer, get_note);
//! ```
//!
//! `examples/grpc.rs` is a whole server, with a unary and a server-streaming call and the caller
//! taken from the metadata as a scope input; `tests/tonic.rs` calls it over loopback.
//!
//! - **Streaming calls keep their scope.** The scope is disposed when the response's last frame
//!   has been sent, so a server-streaming response can use the call's scoped services (its
//!   transaction, its connection) in every message it sends.
//! - **Its disposers learn how the call went** ([`Outcome`]), from the gRPC status: `Completed`
//!   for `OK`; `Failed` for any other status, whether the handler returned it or a stream ended
//!   with it; `Cancelled` when the client goes away (or the deadline passes) before the end;
//!   `Panicked` when the handler panics.
//! - **Commit before answering**, with [`dispose_before_status`](ScopeLayer::dispose_before_status):
//!   the scope is disposed before the call's status, so a unit of work commits before the client
//!   reads `OK`, and a commit that fails is the status `INTERNAL`.
//! - **Nothing is lost at shutdown.** The scopes still being disposed count as open:
//!   [`Container::shutdown`] after the server stops waits for them.
//!
//! Both scope layers, this one and `injectq::axum::ScopeLayer` (feature `axum`),
//! are tower layers over `http::Request<B>` for any inner service whose response body is of
//! `Bytes`, built on one core: this one reads a call's outcome from its gRPC status and takes its
//! inputs from the metadata; axum's reads it from the HTTP status and takes its inputs from the
//! request's parts. For an HTTP service that is not gRPC (hyper, tower-http), use axum's.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};
use tonic::Status;
use tonic::metadata::MetadataMap;

use crate::future::BoxFuture;
pub use crate::served::ScopeService;
use crate::served::{self, Inner, ScopeEnd, Serve, Serving};
use crate::{Container, DisposeError, Error, ErrorKind, Outcome, Scope};

/// Takes a scope's inputs from a call's metadata.
type FromMetadata<I> = Arc<dyn Fn(&MetadataMap) -> Result<I, Status> + Send + Sync>;

/// A tower layer for a tonic server that opens a scope of container `C` for each call, enters it
/// as the task's current scope while the handler runs, puts it in the call's extensions (for
/// [`RequestScope::scope`]), and disposes it once the response's last message has been sent.
///
/// A container that declares `input` registrations opens each scope with them, taken from the
/// call's metadata ([`with_inputs`](ScopeLayer::with_inputs)); a call whose inputs cannot be
/// taken is answered with the function's [`Status`], and no scope is opened for it.
pub struct ScopeLayer<C: Container> {
    container: C,
    inputs: FromMetadata<C::Inputs>,
    before_status: bool,
}

impl<C: Container> Clone for ScopeLayer<C> {
    fn clone(&self) -> Self {
        ScopeLayer {
            container: self.container.clone(),
            inputs: Arc::clone(&self.inputs),
            before_status: self.before_status,
        }
    }
}

impl<C: Container> fmt::Debug for ScopeLayer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeLayer").field("container", &std::any::type_name::<C>()).finish_non_exhaustive()
    }
}

/// The inputs of a container whose scopes take none: `()`. [`ScopeLayer::new`] asks for it, so
/// that a container with `input` registrations is refused at compile time with a message that
/// names the layer that takes them from each call: [`ScopeLayer::with_inputs`].
#[diagnostic::on_unimplemented(
    message = "[injectq::scope-inputs] this container's scopes take inputs, `{Self}`, and this layer opens them without",
    label = "a layer for a container whose scopes take no inputs",
    note = "take them from each call's metadata: `ScopeLayer::with_inputs(container, |metadata| ..)`"
)]
pub trait NoCallInputs: Default {}

impl NoCallInputs for () {}

impl<C: Container> ScopeLayer<C>
where
    C::Inputs: NoCallInputs,
{
    /// A layer that opens scopes of `container`, which takes no inputs.
    pub fn new(container: C) -> Self {
        ScopeLayer::with_inputs(container, |_| Ok(Default::default()))
    }
}

impl<C: Container> ScopeLayer<C> {
    /// A layer that opens each scope of `container` with the inputs that `inputs` takes from the
    /// call's metadata; when it returns `Err`, that status is the answer, and no scope is opened.
    ///
    /// ```
    /// use injectq::tonic::ScopeLayer;
    /// use tonic::Status;
    ///
    /// /// Who is calling, from the `x-user` metadata.
    /// pub struct Caller(pub String);
    ///
    /// injectq::container! {
    ///     pub struct App {
    ///         input Caller;
    ///     }
    /// }
    ///
    /// let layer = ScopeLayer::with_inputs(App::new(), |metadata| {
    ///     match metadata.get("x-user").and_then(|user| user.to_str().ok()) {
    ///         Some(user) => Ok(Caller(user.to_owned())),
    ///         None => Err(Status::unauthenticated("who are you? (no `x-user` metadata)")),
    ///     }
    /// });
    /// # let _ = layer;
    /// ```
    // a `Status` is large, and the rejection is the rare path, as in tonic's own interceptors
    #[allow(clippy::result_large_err)]
    pub fn with_inputs(
        container: C,
        inputs: impl Fn(&MetadataMap) -> Result<C::Inputs, Status> + Send + Sync + 'static,
    ) -> Self {
        ScopeLayer { container, inputs: Arc::new(inputs), before_status: false }
    }

    /// Disposes each call's scope before the call's status goes out, so that the status reports
    /// work that is final: a unit of work committed by a disposer is committed before the client
    /// reads `OK`, and a commit that fails turns the status into `INTERNAL` (the failure is
    /// logged; the client sees a short message). The disposers see the outcome from the status
    /// the handler gave.
    ///
    /// A gRPC call's status is its trailers, after its messages: a unary call's one message and a
    /// stream's messages are sent as the handler makes them, and the scope lives until the last
    /// of them, as without this option; what waits for the disposal is the status. A client reads
    /// a unary call's answer only with its status, so it never sees a success whose work failed.
    /// A stream's client may have read messages already; the failed commit is the stream's final
    /// status. A call that ends without a message (its status in the headers: the handler
    /// returned an error) is answered once its scope is disposed; its status stays the
    /// handler's. A client that goes away before the end cancels the call as without this option.
    #[must_use]
    #[doc(alias = "dispose_before_response")]
    pub fn dispose_before_status(mut self) -> Self {
        self.before_status = true;
        self
    }

    /// The inputs for a call with `headers`, as the layer's function takes them from its
    /// metadata (the headers are lent to a `MetadataMap`, not copied).
    #[allow(clippy::result_large_err)]
    fn take_inputs(&self, headers: &mut HeaderMap) -> Result<C::Inputs, Status> {
        let metadata = MetadataMap::from_headers(std::mem::take(headers));
        let inputs = (self.inputs)(&metadata);
        *headers = metadata.into_headers();
        inputs
    }
}

impl<C: Container> ScopeLayer<C> {
    /// `service` alone in a scope per call, keeping its gRPC name: for a server whose other
    /// services take no scope (a health service, which probes call without the caller's
    /// metadata). `Server::builder().add_service(health).add_service(layer.around(notes))`.
    pub fn around<S>(&self, service: S) -> ScopeService<S, Self> {
        ScopeService::new(service, self.clone())
    }
}

impl<S, C: Container> tower_layer::Layer<S> for ScopeLayer<C> {
    type Service = ScopeService<S, Self>;

    fn layer(&self, inner: S) -> Self::Service {
        ScopeService::new(inner, self.clone())
    }
}

impl<S: Inner<B>, B: Send + 'static, C: Container> Serve<S, B> for ScopeLayer<C> {
    type Response = http::Response<tonic::body::Body>;
    type Future = Serving<S::Future, C::Scope, answering::Answer, S::Error>;

    fn serve(&self, inner: &mut S, request: http::Request<B>) -> Self::Future {
        let (mut parts, body) = request.into_parts();
        match self.take_inputs(&mut parts.headers) {
            Ok(inputs) => {
                let scope = self.container.create_scope_with(inputs);
                let call = served::call(scope, http::Request::from_parts(parts, body), inner);
                Serving::calling(call, answering::Answer { before_status: self.before_status })
            }
            Err(rejected) => Serving::given(Ok(rejected.into_http())),
        }
    }
}

/// How a call's response is given, once its handler has answered; in a module of its own, as
/// the layer's service's `Future` names it and users never do.
mod answering {
    use bytes::Bytes;
    use http_body::Body;

    use super::{Committing, grpc_outcome};
    use crate::served::{self, Answered, ScopeEnd};
    use crate::{Outcome, Scope};

    /// Whether the scope is disposed before the call's status.
    #[derive(Clone, Copy)]
    pub struct Answer {
        pub(in crate::tonic) before_status: bool,
    }

    impl served::Answer for Answer {
        type Response = http::Response<tonic::body::Body>;

        /// The response of a call whose inner service has answered: its body ends the scope (or,
        /// with `dispose_before_status`, disposes it before the status); a call that ended
        /// without a message and must be disposed first is answered once that is done.
        #[inline]
        fn answer<R, S, E>(self, response: http::Response<R>, end: ScopeEnd<S>) -> Answered<Self::Response, E>
        where
            R: Body<Data = Bytes, Error: Into<crate::BoxError>> + Send + 'static,
            S: Scope,
            E: Send + 'static,
        {
            // a status in the headers is a call that ended without a message ("trailers only");
            // otherwise the trailers, at the end of the body, have the last word
            let in_headers = grpc_outcome(response.headers());
            let finished = in_headers.unwrap_or(Outcome::Completed);
            if !self.before_status {
                let body = |body| tonic::body::Body::new(end.attach(body, finished, grpc_outcome));
                return Answered::Now(response.map(body));
            }
            if in_headers.is_some() {
                // the status is the handler's error already: answered once the scope is disposed
                // (held until then: dropped first, its disposal would go to a task)
                let scope = end.take();
                return Answered::Later(Box::pin(async move {
                    if let Err(error) = scope.dispose_as(finished).await {
                        tracing::error!(target: "injectq", %error, "disposing a failed call's scope failed");
                    }
                    Ok(response.map(tonic::body::Body::new))
                }));
            }
            Answered::Now(response.map(|body| tonic::body::Body::new(Committing::new(body, end, finished))))
        }
    }
}

pin_project_lite::pin_project! {
    /// A response body that disposes its call's scope when its messages are done and before its
    /// status (the trailers) goes out: a failed disposal becomes the status `INTERNAL`.
    struct Committing<B, S: Scope> {
        #[pin]
        inner: B,
        step: Step<S>,
    }
}

/// Where a [`Committing`] body is.
enum Step<S: Scope> {
    /// Its messages: the scope is disposed when the trailers (or the end) come, as `finished`
    /// unless the trailers say otherwise.
    Messages { scope: Option<ScopeEnd<S>>, finished: Outcome },
    /// The scope being disposed; then these trailers (`None`: the body had none).
    Disposing { disposal: BoxFuture<'static, std::result::Result<(), DisposeError>>, trailers: Option<HeaderMap> },
    /// The status to send, then the end.
    Status(Option<HeaderMap>),
    /// Nothing more.
    Done,
}

impl<B, S: Scope> Committing<B, S> {
    /// `inner`, whose call's scope `end` ends (in the background, as `Cancelled`) if the body is
    /// dropped before its end.
    fn new(inner: B, end: ScopeEnd<S>, finished: Outcome) -> Self {
        Committing { inner, step: Step::Messages { scope: Some(end), finished } }
    }
}

impl<B: Body<Data = Bytes>, S: Scope> Body for Committing<B, S> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let mut this = self.project();
        loop {
            match this.step {
                Step::Messages { scope, finished } => {
                    let trailers = match ready!(this.inner.as_mut().poll_frame(cx)) {
                        Some(Ok(frame)) => match frame.into_trailers() {
                            Ok(trailers) => Some(trailers),
                            Err(data) => return Poll::Ready(Some(Ok(data))),
                        },
                        Some(Err(error)) => {
                            // the call failed on its way out: its scope ends as failed
                            if let Some(end) = scope.take() {
                                end.finish(Outcome::Failed);
                            }
                            *this.step = Step::Done;
                            return Poll::Ready(Some(Err(error)));
                        }
                        None => None,
                    };
                    let outcome = trailers.as_ref().and_then(grpc_outcome).unwrap_or(*finished);
                    let scope = scope.take().expect("a call's scope is disposed once").take();
                    // the future holds the scope: its disposal runs here, not in the background
                    let disposal = Box::pin(async move { scope.dispose_as(outcome).await });
                    *this.step = Step::Disposing { disposal, trailers };
                }
                Step::Disposing { disposal, trailers } => {
                    let disposed = ready!(disposal.as_mut().poll(cx));
                    let mut trailers = trailers.take();
                    if let Err(error) = disposed {
                        tracing::error!(target: "injectq", %error, "disposing a call's scope failed: its status is INTERNAL");
                        let status = trailers.get_or_insert_with(HeaderMap::new);
                        status.remove(Status::GRPC_MESSAGE);
                        status.remove(Status::GRPC_STATUS_DETAILS);
                        let failed = Status::internal("internal error: the call's work could not be completed");
                        // the message is ASCII: writing it cannot fail
                        let _ = failed.add_header(status);
                    }
                    *this.step = Step::Status(trailers);
                }
                Step::Status(trailers) => {
                    let trailers = trailers.take();
                    *this.step = Step::Done;
                    return Poll::Ready(trailers.map(|trailers| Ok(Frame::trailers(trailers))));
                }
                Step::Done => return Poll::Ready(None),
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.step, Step::Done)
    }

    fn size_hint(&self) -> SizeHint {
        match self.step {
            Step::Messages { .. } => self.inner.size_hint(),
            _ => SizeHint::with_exact(0),
        }
    }
}

/// How a call went, from the `grpc-status` in `headers` (its headers or its trailers): `OK` is
/// `Completed`, any other status `Failed`; `None` when there is no status.
fn grpc_outcome(headers: &HeaderMap) -> Option<Outcome> {
    let status = headers.get(Status::GRPC_STATUS)?;
    Some(if status.as_bytes() == b"0" { Outcome::Completed } else { Outcome::Failed })
}

/// A handler's way to its call's scope: `request.scope::<App>()?`, then resolve from it.
pub trait RequestScope {
    /// The scope that [`ScopeLayer`] opened for this call, of container `C`. Without the layer on
    /// the server (or with the layer of another container), the call answers `INTERNAL`, and
    /// the cause is logged.
    #[allow(clippy::result_large_err)]
    fn scope<C: Container>(&self) -> Result<C::Scope, Status>;
}

impl<T> RequestScope for tonic::Request<T> {
    fn scope<C: Container>(&self) -> Result<C::Scope, Status> {
        self.extensions().get::<C::Scope>().cloned().ok_or_else(|| {
            tracing::error!(
                target: "injectq",
                container = std::any::type_name::<C>(),
                "no scope for this call: add `injectq::tonic::ScopeLayer` of this container to the server (`Server::builder().layer(ScopeLayer::new(app))`)"
            );
            Status::internal("internal error: this call has no request scope")
        })
    }
}

/// An injectq error as the call's answer: `UNAVAILABLE` while the container shuts down,
/// `INTERNAL` otherwise. The client sees a short message; the error itself (the service, its
/// dependency path, the cause) is logged, as it may name what a client should not see.
impl From<Error> for Status {
    fn from(error: Error) -> Status {
        if error.kind() == ErrorKind::ShuttingDown {
            tracing::warn!(target: "injectq", %error, "a call arrived while the container shuts down");
            return Status::unavailable("the service is shutting down");
        }
        tracing::error!(target: "injectq", %error, "a call's dependency could not be resolved");
        Status::internal("internal error: a dependency of this call could not be built")
    }
}

/// A service wrapped by the scope layer keeps its gRPC name, so that one service can be scoped
/// beside others that are not (a health service, which probes call without a caller):
/// `Server::builder().add_service(health).add_service(layer.around(NotesServer::new(api)))`.
impl<S: tonic::server::NamedService, C: Container> tonic::server::NamedService for ScopeService<S, ScopeLayer<C>> {
    const NAME: &'static str = S::NAME;
}

/// The standard gRPC health service (`grpc.health.v1`, from the `tonic-health` crate; feature
/// `tonic-health`), kept in step with `container`: the overall status (service `""`) is
/// `SERVING` while the container is [ready](crate::HealthReport::is_ready) and `NOT_SERVING`
/// otherwise (before `start()` has finished, once its shutdown begins, while a readiness check
/// fails); each service with a `, health` check has its own status under its registered name.
///
/// A task on the current tokio runtime follows the container: it updates the statuses when the
/// container becomes ready or begins to stop, at once, and otherwise runs the checks every
/// `every`. It ends once the container stops, leaving everything `NOT_SERVING`; `Watch` streams
/// see each change.
///
/// ```no_run
/// # use std::time::Duration;
/// # injectq::container! { pub struct App {} }
/// # async fn run(app: App) -> Result<(), Box<dyn std::error::Error>> {
/// let health = injectq::tonic::health_service(&app, Duration::from_secs(5));
/// // tonic::transport::Server::builder().add_service(health).add_service(..)
/// # let _ = health;
/// # Ok(())
/// # }
/// ```
///
/// # Panics
///
/// Outside a tokio runtime (the task is spawned on the current one).
#[cfg(feature = "tonic-health")]
pub fn health_service<C: Container>(
    container: &C,
    every: std::time::Duration,
) -> tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health> {
    use futures_util::FutureExt;
    let (reporter, server) = tonic_health::server::health_reporter();
    // tonic-health starts `""` as SERVING: until the task's first report, it says what the
    // container's phase says (an uncontended lock: this completes at once)
    let overall = if container.is_ready() {
        tonic_health::ServingStatus::Serving
    } else {
        tonic_health::ServingStatus::NotServing
    };
    let _ = reporter.set_service_status("", overall).now_or_never();
    let container = container.clone();
    tokio::spawn(async move {
        loop {
            let report = container.health().await;
            follow(&reporter, &report).await;
            if report.phase() == crate::Phase::Stopping {
                return;
            }
            // the next change of phase, or the next round of checks
            let changed = std::pin::pin!(container.phases().changed());
            let tick = std::pin::pin!(tokio::time::sleep(every));
            futures_util::future::select(changed, tick).await;
        }
    });
    server
}

/// Sets the reporter's statuses from `report`.
#[cfg(feature = "tonic-health")]
async fn follow(reporter: &tonic_health::server::HealthReporter, report: &crate::HealthReport) {
    use tonic_health::ServingStatus::{NotServing, Serving};

    let overall = if report.is_ready() { Serving } else { NotServing };
    reporter.set_service_status("", overall).await;
    for service in report.services() {
        let up = report.phase() == crate::Phase::Running && service.status().is_up();
        reporter.set_service_status(service.name(), if up { Serving } else { NotServing }).await;
    }
}
