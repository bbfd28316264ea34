//! axum integration (feature `axum`): one scope per request, disposed after the response, and an
//! extractor that resolves from it, checked at compile time against the container.
//!
//! ```
//! use std::sync::Arc;
//! use axum::{Router, extract::Path, routing::get};
//! use injectq::axum::{Inject, ScopeLayer};
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
//! // the seeds' `@app.get("/users/{user_id}") async def get_user(user_id, request)`
//! async fn get_user(Path(user_id): Path<u32>, Inject(users): Inject<Arc<UserService>>) -> String {
//!     users.get_user(user_id).await
//! }
//!
//! let app = App::new();
//! let router: Router = Router::new()
//!     .route("/users/{user_id}", get(get_user))
//!     .layer(ScopeLayer::new(app.clone())) // the seeds' `FastAPIAsyncDIMiddleware`
//!     .with_state(app);
//! # let _ = router;
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use http::request::Parts;

use crate::{Container, Provide, Scope};

/// A tower layer that opens a scope of container `C` for each request, enters it as the task's
/// current scope, makes it available to [`Inject`], and disposes it when the response is ready.
/// A request that is cancelled (the client went away) or whose handler panics drops its scope,
/// which is then disposed on the runtime: the scope's disposers always run.
#[derive(Clone)]
pub struct ScopeLayer<C> {
    container: C,
}

impl<C: Container> ScopeLayer<C> {
    /// A layer that opens scopes of `container`.
    pub fn new(container: C) -> Self {
        ScopeLayer { container }
    }
}

impl<S, C: Container> tower_layer::Layer<S> for ScopeLayer<C> {
    type Service = ScopeService<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        ScopeService { inner, container: self.container.clone() }
    }
}

/// The service of [`ScopeLayer`].
#[derive(Clone)]
pub struct ScopeService<S, C> {
    inner: S,
    container: C,
}

impl<S, C, B> tower_service::Service<http::Request<B>> for ScopeService<S, C>
where
    S: tower_service::Service<http::Request<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Response: Send,
    S::Error: Send,
    C: Container,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let scope = self.container.create_scope();
        request.extensions_mut().insert(scope.clone());
        // the service that was polled ready handles this request; a fresh clone waits for the next
        let fresh = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, fresh);
        Box::pin(async move {
            let mut ready = ready;
            let response = scope.enter(ready.call(request)).await;
            if let Err(error) = Scope::dispose(&scope).await {
                tracing::error!(target: "injectq", %error, "disposing a request's scope failed");
            }
            response
        })
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
/// on the router.
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

/// Why [`Inject`] could not extract: a `500 Internal Server Error`, with the details logged.
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
                f.write_str("no request scope: add `.layer(injectq::axum::ScopeLayer::new(container))` to the router")
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
        tracing::error!(target: "injectq", error = %self, "a handler's dependency could not be resolved");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error: a dependency of this handler could not be built")
            .into_response()
    }
}
