//! axum integration (feature `axum`): one scope per request, disposed once the response has been
//! sent, and an extractor that resolves from it, checked at compile time against the container.
//!
//! ```
//! use std::sync::Arc;
//! use axum::{Router, extract::Path, routing::get};
//! use injectq::axum::{Inject, InjectqRouter};
//! use injectq::{container, injectable};
//!
//! #[injectable]
//! pub struct UserService;
//!
//! impl UserService {
//!     async fn get_user(&self, id: u32) -> String {
//!         format!("user{id}@example.com")
//!     }
//! }
//!
//! container! {
//!     pub struct App {
//!         scoped UserService;
//!     }
//! }
//!
//! // a handler: its scoped services come from the request's scope
//! async fn get_user(Path(user_id): Path<u32>, Inject(users): Inject<Arc<UserService>>) -> String {
//!     users.get_user(user_id).await
//! }
//!
//! let app = App::new();
//! let router: Router = Router::new()
//!     .route("/users/{user_id}", get(get_user))
//!     .with_container(app); // the state, and one scope per request
//! # let _ = router;
//! ```
//!
//! [`with_container`](InjectqRouter::with_container) is `.layer(ScopeLayer::new(app.clone()))
//! .with_state(app)` in one call, so that neither can be forgotten; a layer you configured
//! (inputs taken from the request, [`failed_when`](ScopeLayer::failed_when),
//! [`dispose_before_response`](ScopeLayer::dispose_before_response)) goes in with
//! [`with_scope_layer`](InjectqRouter::with_scope_layer). Add it after the routes and the
//! middleware that use [`Inject`]: axum runs the layers added last first, and a middleware
//! outside the scope layer finds no scope (its `Inject` answers `500` and logs why).
//!
//! A handler with an `Inject<T>` that the container does not provide does not compile, but the
//! error is axum's: "the trait bound `fn(..) {handler}: Handler<_, _>` is not satisfied". Put
//! `#[axum::debug_handler(state = App)]` (axum's `macros` feature) on the handler to read
//! injectq's own: "container `App` has no provider for `Arc<Mailer>`", at the argument.
//!
//! [`InjectRejection`] is the answer when a dependency cannot be resolved (`500`, or `503` while
//! the container shuts down), logged through `tracing`. To answer otherwise, take
//! `Result<Inject<T>, InjectRejection>` in the handler and map the error.
//!
//! For a graceful shutdown, stop the server first, then the container, which waits for the
//! requests' scopes still being disposed (`examples/middleware.rs` and `examples/database.rs` do):
//!
//! ```no_run
//! # use std::time::Duration;
//! # injectq::container! { pub struct App {} }
//! # async fn run(router: axum::Router, listener: tokio::net::TcpListener, app: App) -> Result<(), Box<dyn std::error::Error>> {
//! axum::serve(listener, router).with_graceful_shutdown(async { /* ctrl-c */ }).await?;
//! app.shutdown(Duration::from_secs(10)).await?;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use http::request::Parts;

pub use crate::served::ScopeService;
use answering::Answer;

use crate::served::{self, Answer as _, Inner, Serve, Serving};
use crate::{Container, ErrorKind, Provide};

/// A tower layer that opens a scope of container `C` for each request, enters it as the task's
/// current scope while the handler runs, makes it available to [`Inject`], and disposes it once
/// the response has been sent.
///
/// - **The response goes first.** The scope is disposed when the response body ends (or is
///   dropped), in the background, so a disposer that waits (a commit, a connection handed back
///   over the network) never delays a response: its first step runs as the body ends, what it
///   awaits on a task of its own; a streaming body
///   (server-sent events, `Body::from_stream`) can use the request's scoped services until its
///   last chunk. A response that sends no body (to a `HEAD`, or a 1xx, 204 or 304) ends its
///   scope as it is handed over, with the response's outcome.
/// - **Its disposers learn how the request went** ([`Outcome`](crate::Outcome)): `Completed`;
///   `Failed` for a response whose status counts as failed (5xx by default, see
///   [`failed_when`](ScopeLayer::failed_when)) or a body that fails; `Cancelled` when the client
///   goes away before the end of the response; `Panicked` when the handler panics (the panic goes
///   on, for a layer such as tower-http's `CatchPanic` to answer).
/// - **Nothing is lost at shutdown.** The scopes still being disposed count as open:
///   [`Container::shutdown`] after the server stops waits for them.
///
/// When a response must not be sent before the scope's work is final (a transaction committed
/// by its disposer: the client must not read `201 Created` before the commit, nor get it if the
/// commit fails), use [`dispose_before_response`](ScopeLayer::dispose_before_response).
///
/// A container that declares `input` registrations (the caller, a request id, a tenant) opens
/// each scope with them, taken from the request: by a function of the request's parts
/// ([`with_inputs`](ScopeLayer::with_inputs)), or by axum extractors
/// ([`extract_inputs`](ScopeLayer::extract_inputs)). A request whose inputs cannot be taken is
/// answered with the rejection, and no scope is opened for it.
pub struct ScopeLayer<C: Container> {
    container: C,
    inputs: Inputs<C::Inputs>,
    failed_when: fn(StatusCode) -> bool,
    before_response: bool,
}

impl<C: Container> Clone for ScopeLayer<C> {
    fn clone(&self) -> Self {
        ScopeLayer {
            container: self.container.clone(),
            inputs: self.inputs.clone(),
            failed_when: self.failed_when,
            before_response: self.before_response,
        }
    }
}

/// Takes a scope's inputs by extractors: `extract::<I>`.
type Extractor<I> = for<'a> fn(&'a mut Parts) -> Pin<Box<dyn Future<Output = Result<I, Response>> + Send + 'a>>;

/// Takes a scope's inputs from the request's parts: a `with_inputs` function, its rejection
/// turned into a response.
type FromParts<I> = std::sync::Arc<dyn Fn(&mut Parts) -> Result<I, Response> + Send + Sync>;

/// How a scope's inputs are taken from a request.
enum Inputs<I> {
    /// by a function of the request's parts
    Parts(FromParts<I>),
    /// by extractors
    Extract(Extractor<I>),
}

impl<I> Clone for Inputs<I> {
    fn clone(&self) -> Self {
        match self {
            Inputs::Parts(f) => Inputs::Parts(std::sync::Arc::clone(f)),
            Inputs::Extract(f) => Inputs::Extract(*f),
        }
    }
}

/// The extractors `I` (one, or a tuple), as a scope's inputs.
fn extract<I: FromRequestParts<()> + Send>(
    parts: &mut Parts,
) -> Pin<Box<dyn Future<Output = Result<I, Response>> + Send + '_>> {
    Box::pin(async move { I::from_request_parts(parts, &()).await.map_err(IntoResponse::into_response) })
}

/// The inputs of a container whose scopes take none: `()`. [`ScopeLayer::new`] and
/// [`with_container`](InjectqRouter::with_container) ask for it, so that a container with
/// `input` registrations is refused at compile time with a message that names the layer that
/// takes them from each request: [`ScopeLayer::with_inputs`].
#[diagnostic::on_unimplemented(
    message = "[injectq::scope-inputs] this container's scopes take inputs, `{Self}`, and this layer opens them without",
    label = "a layer for a container whose scopes take no inputs",
    note = "take them from each request: `ScopeLayer::with_inputs(container, |parts| ..)` (or `ScopeLayer::extract_inputs(container)`), and install it with `router.with_scope_layer(layer)`"
)]
pub trait NoRequestInputs: Default {}

impl NoRequestInputs for () {}

impl<C: Container> ScopeLayer<C>
where
    C::Inputs: NoRequestInputs,
{
    /// A layer that opens scopes of `container`, which takes no inputs.
    pub fn new(container: C) -> Self {
        ScopeLayer::with_inputs(container, |_| Ok::<_, std::convert::Infallible>(Default::default()))
    }
}

impl<C: Container> ScopeLayer<C> {
    /// A layer that opens each scope of `container` with the inputs that `inputs` takes from the
    /// request's parts (its headers, URI, extensions); when it returns `Err`, that rejection (any
    /// `IntoResponse`) is the answer, and no scope is opened.
    ///
    /// ```
    /// use http::StatusCode;
    /// use injectq::axum::ScopeLayer;
    ///
    /// /// Who is asking, from the `x-user` header.
    /// pub struct Caller(pub String);
    ///
    /// injectq::container! {
    ///     pub struct App {
    ///         input Caller;
    ///     }
    /// }
    ///
    /// let layer = ScopeLayer::with_inputs(App::new(), |parts| {
    ///     let user = parts.headers.get("x-user").and_then(|v| v.to_str().ok());
    ///     match user {
    ///         Some(user) => Ok(Caller(user.to_owned())),
    ///         None => Err((StatusCode::UNAUTHORIZED, "who are you?")),
    ///     }
    /// });
    /// # let _ = layer;
    /// ```
    // the rejection as a `Response` is the rare path, as in axum's own middleware
    #[allow(clippy::result_large_err)]
    pub fn with_inputs<R: IntoResponse>(
        container: C,
        inputs: impl Fn(&mut Parts) -> Result<C::Inputs, R> + Send + Sync + 'static,
    ) -> Self {
        ScopeLayer::taking(
            container,
            Inputs::Parts(std::sync::Arc::new(move |parts| inputs(parts).map_err(IntoResponse::into_response))),
        )
    }

    /// A layer that opens each scope of `container` with inputs taken by axum extractors: each
    /// input type (or the tuple of them) implements `FromRequestParts<()>`; a rejection is the
    /// answer, and no scope is opened.
    pub fn extract_inputs(container: C) -> Self
    where
        C::Inputs: FromRequestParts<()> + Send,
    {
        ScopeLayer::taking(container, Inputs::Extract(extract::<C::Inputs>))
    }

    /// The layer with its defaults: 5xx counts as failed, the response goes before the disposal.
    fn taking(container: C, inputs: Inputs<C::Inputs>) -> Self {
        ScopeLayer { container, inputs, failed_when: |status| status.is_server_error(), before_response: false }
    }

    /// Disposes each request's scope after its handler returns and before its response is sent,
    /// so that the response reports work that is final: its disposers see the outcome from the
    /// status, and if one of them fails (a commit that fails), the client gets
    /// `500 Internal Server Error` instead of the handler's response, and the failure is logged.
    /// The response waits for the disposal, and its body cannot use the scope's services (they
    /// are disposed before it is sent).
    #[must_use]
    pub fn dispose_before_response(mut self) -> Self {
        self.before_response = true;
        self
    }

    /// Which response statuses count as a failed request (its scope's disposers see
    /// [`Outcome::Failed`](crate::Outcome::Failed)); by default, the 5xx statuses.
    ///
    /// ```
    /// # injectq::container! { pub struct App {} }
    /// use injectq::axum::ScopeLayer;
    ///
    /// // a client error rolls back too
    /// let layer = ScopeLayer::new(App::new()).failed_when(|status| !status.is_success());
    /// # let _ = layer;
    /// ```
    #[must_use]
    pub fn failed_when(mut self, failed: fn(StatusCode) -> bool) -> Self {
        self.failed_when = failed;
        self
    }
}

impl<S, C: Container> tower_layer::Layer<S> for ScopeLayer<C> {
    type Service = ScopeService<S, Self>;

    fn layer(&self, inner: S) -> Self::Service {
        ScopeService::new(inner, self.clone())
    }
}

impl<S: Inner<B>, B: Send + 'static, C: Container> Serve<S, B> for ScopeLayer<C> {
    type Response = Response;
    type Future = Serving<S::Future, C::Scope, Answer, S::Error>;

    fn serve(&self, inner: &mut S, request: http::Request<B>) -> Self::Future {
        let answer = Answer {
            head: request.method() == http::Method::HEAD,
            failed_when: self.failed_when,
            before_response: self.before_response,
        };
        match &self.inputs {
            // the inputs are at hand: the scope is opened and the handler called now, and the
            // request's future holds the call in place (no box)
            Inputs::Parts(take) => {
                let (mut parts, body) = request.into_parts();
                match take(&mut parts) {
                    Ok(inputs) => {
                        let scope = self.container.create_scope_with(inputs);
                        Serving::calling(served::call(scope, http::Request::from_parts(parts, body), inner), answer)
                    }
                    Err(rejected) => Serving::given(Ok(rejected)),
                }
            }
            // the inputs are awaited (extractors): the call waits for them, boxed
            Inputs::Extract(extract) => {
                let (container, extract, mut ready) = (self.container.clone(), *extract, served::take_ready(inner));
                Serving::waiting(Box::pin(async move {
                    let (mut parts, body) = request.into_parts();
                    let scope = match extract(&mut parts).await {
                        Ok(inputs) => container.create_scope_with(inputs),
                        Err(rejected) => return Ok(rejected),
                    };
                    let request = http::Request::from_parts(parts, body);
                    let (response, end) = served::call(scope, request, &mut ready).await?;
                    answer.answer(response, end).get().await
                }))
            }
        }
    }
}

/// How a request's response is given, once its handler has answered; in a module of its own,
/// as the layer's service's `Future` names it and users never do.
mod answering {
    use axum_core::response::{IntoResponse, Response};
    use http::StatusCode;

    use super::sends_no_body;
    use crate::served::{self, Answered};
    use crate::{Outcome, Scope};

    /// How the layer was configured to answer.
    #[derive(Clone, Copy)]
    pub struct Answer {
        pub(in crate::axum) head: bool,
        pub(in crate::axum) failed_when: fn(StatusCode) -> bool,
        pub(in crate::axum) before_response: bool,
    }

    impl served::Answer for Answer {
        type Response = Response;

        /// `response`, whose request's scope `end` is disposed when the body ends (by default), or
        /// before the response is given (`dispose_before_response`).
        #[inline]
        fn answer<R, S, E>(self, response: http::Response<R>, end: served::ScopeEnd<S>) -> Answered<Response, E>
        where
            R: http_body::Body<Data = bytes::Bytes, Error: Into<crate::BoxError>> + Send + 'static,
            S: Scope,
            E: Send + 'static,
        {
            let finished = if (self.failed_when)(response.status()) { Outcome::Failed } else { Outcome::Completed };
            if !self.before_response && sends_no_body(self.head, response.status()) {
                // the server drops the body unpolled, which is not a client that went away
                end.finish(finished);
                return Answered::Now(response.map(axum_core::body::Body::new));
            }
            if !self.before_response {
                return Answered::Now(
                    response.map(|body| axum_core::body::Body::new(end.attach(body, finished, |_| None))),
                );
            }
            // from here the work is done: dropping this future no longer cancels it, and the
            // disposal, once begun, finishes on the runtime (boxed: the request's future stays small
            // for the default, which never waits here)
            let scope = end.take();
            Answered::Later(Box::pin(async move {
                // the scope is held until its disposal is done: dropped before, its last handle
                // would hand the disposal over to a task, which this would then wait for
                Ok(match scope.dispose_as(finished).await {
                    Ok(()) => response.map(axum_core::body::Body::new),
                    Err(error) => {
                        tracing::error!(target: "injectq", %error, "disposing a request's scope failed: answering 500");
                        (StatusCode::INTERNAL_SERVER_ERROR, "internal error: the request's work could not be completed")
                            .into_response()
                    }
                })
            }))
        }
    }
}

/// Whether a response sends no body whatever its handler wrote: the answer to a `HEAD`, or a status
/// that has none (1xx, 204, 304). Its scope then ends with the response, not with a body that the
/// server drops unpolled.
fn sends_no_body(head: bool, status: StatusCode) -> bool {
    head || status.is_informational() || status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED
}

/// Installs injectq on an axum [`Router`](::axum::Router) whose state is the container, in one
/// call: the scope layer and the state.
pub trait InjectqRouter<C: Container> {
    /// `.layer(ScopeLayer::new(container.clone())).with_state(container)`: one scope per
    /// request, and the container as the state that [`Inject`] is checked against.
    fn with_container(self, container: C) -> ::axum::Router
    where
        C::Inputs: NoRequestInputs;

    /// The same with a layer you configured (inputs taken from the request, which statuses
    /// count as failed, disposal before the response): its container becomes the state.
    fn with_scope_layer(self, layer: ScopeLayer<C>) -> ::axum::Router;
}

impl<C: Container> InjectqRouter<C> for ::axum::Router<C> {
    fn with_container(self, container: C) -> ::axum::Router
    where
        C::Inputs: NoRequestInputs,
    {
        self.with_scope_layer(ScopeLayer::new(container))
    }

    fn with_scope_layer(self, layer: ScopeLayer<C>) -> ::axum::Router {
        let state = layer.container.clone();
        self.layer(layer).with_state(state)
    }
}

/// The router state's container: the container itself, or your state struct, which says which
/// container it serves with `impl HasContainer for AppState { type Container = App; }`.
pub trait HasContainer {
    /// The container whose scopes the requests get.
    type Container: Container;
}

impl<C: Container> HasContainer for C {
    type Container = C;
}

/// An extractor that resolves a `T` from the request's scope: `Inject(users): Inject<Arc<UserService>>`.
///
/// The router's state is the container, or any state that implements [`HasContainer`]; a handler
/// whose `Inject<T>` the container's scope cannot provide does not compile. Needs [`ScopeLayer`]
/// on the router ([`InjectqRouter::with_container`] installs both).
///
/// When the dependency cannot be resolved, the answer is [`InjectRejection`]'s; to answer
/// otherwise, take the `Result`:
///
/// ```
/// # use std::sync::Arc;
/// # use injectq::{container, injectable};
/// # #[injectable] pub struct Mailer;
/// # container! { pub struct App { scoped Mailer; } }
/// use axum::http::StatusCode;
/// use injectq::axum::{Inject, InjectRejection};
///
/// async fn send(mailer: Result<Inject<Arc<Mailer>>, InjectRejection>) -> StatusCode {
///     match mailer {
///         Ok(Inject(_mailer)) => StatusCode::ACCEPTED,
///         Err(_) => StatusCode::BAD_GATEWAY, // the mail relay cannot be reached
///     }
/// }
/// # let _: axum::routing::MethodRouter<App> = axum::routing::post(send);
/// ```
#[derive(Debug, Clone)]
pub struct Inject<T>(pub T);

impl<S, T> FromRequestParts<S> for Inject<T>
where
    S: HasContainer + Send + Sync,
    <S::Container as Container>::Scope: Provide<T>,
    T: Send,
{
    type Rejection = InjectRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        type ScopeOf<S> = <<S as HasContainer>::Container as Container>::Scope;
        let scope = parts.extensions.get::<ScopeOf<S>>().cloned().ok_or(InjectRejection::NoScope)?;
        match <ScopeOf<S> as Provide<T>>::provide(&scope).await {
            Ok(value) => Ok(Inject(value)),
            Err(error) => Err(InjectRejection::Failed(error)),
        }
    }
}

/// Why [`Inject`] could not extract: a `500 Internal Server Error` (`503 Service Unavailable`
/// while the container shuts down), with the details logged.
#[derive(Debug)]
#[non_exhaustive]
pub enum InjectRejection {
    /// The router has no [`ScopeLayer`]: there is no request scope to resolve from.
    NoScope,
    /// The resolution failed (a factory or init hook returned an error).
    Failed(crate::Error),
}

impl fmt::Display for InjectRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InjectRejection::NoScope => {
                f.write_str("no request scope: install the scope layer on the router with `.with_container(app)` (`injectq::axum::InjectqRouter`), after the routes and after any middleware that uses `Inject`")
            }
            InjectRejection::Failed(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for InjectRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InjectRejection::NoScope => None,
            InjectRejection::Failed(error) => Some(error),
        }
    }
}

impl IntoResponse for InjectRejection {
    fn into_response(self) -> Response {
        if let InjectRejection::Failed(error) = &self
            && error.kind() == ErrorKind::ShuttingDown
        {
            tracing::warn!(target: "injectq", %error, "a request arrived while the container shuts down");
            return (StatusCode::SERVICE_UNAVAILABLE, "the service is shutting down").into_response();
        }
        tracing::error!(target: "injectq", error = %self, "a handler's dependency could not be resolved");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error: a dependency of this handler could not be built")
            .into_response()
    }
}

/// Routes that answer liveness and readiness probes from a container's
/// [`health`](Container::health): `GET /health/live` and `GET /health/ready` by default, each a
/// JSON report ([`HealthReport::to_json`](crate::HealthReport::to_json)) with `200 OK` when the
/// probe is up and `503 Service Unavailable` when it is down.
///
/// - **Live** unless the container is disposed or a [`Probe::Liveness`](crate::Probe::Liveness)
///   check fails: a failing liveness probe asks the orchestrator to restart the process.
/// - **Ready** once `start()` has finished, until a shutdown begins, and while every readiness
///   check passes: a failing readiness probe takes the instance out of the load balancer.
///
/// ```
/// use axum::Router;
/// use injectq::axum::HealthRoutes;
/// use injectq::container;
///
/// container! { pub struct App {} }
///
/// let app = App::new();
/// let router: Router = Router::new().merge(HealthRoutes::new(app).into_router());
/// # let _ = router;
/// ```
///
/// Each probe runs the checks when it is asked (each check bounded by its own timeout); the
/// routes hold the container, not a scope, and need no [`ScopeLayer`].
#[derive(Clone)]
pub struct HealthRoutes<C: Container> {
    container: C,
    live: String,
    ready: String,
}

impl<C: Container> HealthRoutes<C> {
    /// The probes of `container`, at `/health/live` and `/health/ready`.
    pub fn new(container: C) -> Self {
        HealthRoutes { container, live: "/health/live".into(), ready: "/health/ready".into() }
    }

    /// Answers the liveness probe at `path` (`/livez`, say).
    pub fn live_path(mut self, path: impl Into<String>) -> Self {
        self.live = path.into();
        self
    }

    /// Answers the readiness probe at `path` (`/readyz`, say).
    pub fn ready_path(mut self, path: impl Into<String>) -> Self {
        self.ready = path.into();
        self
    }

    /// The two routes, as a router to [`merge`](::axum::Router::merge) into the application's.
    pub fn into_router<S: Clone + Send + Sync + 'static>(self) -> ::axum::Router<S> {
        let (live, ready) = (self.container.clone(), self.container);
        ::axum::Router::new()
            .route(&self.live, ::axum::routing::get(move || probe(live.clone(), crate::Probe::Liveness)))
            .route(&self.ready, ::axum::routing::get(move || probe(ready.clone(), crate::Probe::Readiness)))
    }
}

/// One probe's answer: the report as JSON, `200` when up, `503` when down.
async fn probe<C: Container>(container: C, which: crate::Probe) -> Response {
    let report = container.health().await;
    let (up, _) = report.probe(which);
    let status = if up { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(http::header::CONTENT_TYPE, "application/json")], report.to_json(which)).into_response()
}
