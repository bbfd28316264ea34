//! What the scope layers of the web integrations share (features `axum` and `tonic`): a call
//! handled in its own scope, and a response body that ends that scope when it ends.
//!
//! A layer takes the scope's inputs from the request its own way, opens the scope, and hands it
//! to [`call`], which calls the inner service in it and gives back the call's future
//! ([`Calling`]), held in place by the layer's own. What a finished response means (a status,
//! or gRPC's `grpc-status` in the trailers) is the layer's to say; [`ScopedBody`] holds the
//! scope until the body's last frame, so that a streaming response can use its services.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_util::FutureExt;
use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};

use crate::future::BoxFuture;
use crate::{BoxError, Outcome, Scope};

/// The service of a scope layer (`injectq::axum::ScopeLayer`, `injectq::tonic::ScopeLayer`): the
/// inner service, and the layer, which serves each call in a scope of its own.
pub struct ScopeService<S, L> {
    inner: S,
    layer: L,
}

impl<S, L> ScopeService<S, L> {
    /// `inner`, served by `layer`.
    pub(crate) fn new(inner: S, layer: L) -> Self {
        ScopeService { inner, layer }
    }
}

impl<S: Clone, L: Clone> Clone for ScopeService<S, L> {
    fn clone(&self) -> Self {
        ScopeService { inner: self.inner.clone(), layer: self.layer.clone() }
    }
}

/// An HTTP service that a scope layer can wrap: it answers `http::Request<B>` with a response
/// whose body is of `Bytes`, and it and its futures can move between threads.
pub trait Inner<B>:
    tower_service::Service<http::Request<B>, Response = http::Response<Self::Body>, Future: Send + 'static, Error: Send>
    + Clone
    + Send
    + 'static
{
    /// Its response body.
    type Body: Body<Data = Bytes, Error: Into<BoxError>> + Send + 'static;
}

impl<S, B, R> Inner<B> for S
where
    S: tower_service::Service<http::Request<B>, Response = http::Response<R>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send,
    R: Body<Data = Bytes> + Send + 'static,
    R::Error: Into<BoxError>,
{
    type Body = R;
}

/// How a scope layer serves one call of its inner service `S`.
pub trait Serve<S: Inner<B>, B> {
    /// The response.
    type Response;
    /// The future of one call.
    type Future: Future<Output = Result<Self::Response, S::Error>> + Send + 'static;
    /// Serves `request` with `inner`, which was polled ready: a layer that opens the scope at
    /// once calls it now ([`call`]); one that awaits the scope's inputs first takes a ready clone
    /// of it ([`take_ready`]) into its future.
    fn serve(&self, inner: &mut S, request: http::Request<B>) -> Self::Future;
}

impl<S: Inner<B>, B, L: Serve<S, B>> tower_service::Service<http::Request<B>> for ScopeService<S, L> {
    type Response = L::Response;
    type Error = S::Error;
    type Future = L::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        self.layer.serve(&mut self.inner, request)
    }
}

/// The inner service that was polled ready, to handle a call in a future of its own; `inner`
/// becomes a fresh clone, which waits for the next call (the pattern tower's docs give for a
/// service that moves its inner service into a future). axum's layer needs it when it awaits
/// its inputs.
#[cfg(feature = "axum")]
pub(crate) fn take_ready<S: Clone>(inner: &mut S) -> S {
    let fresh = inner.clone();
    std::mem::replace(inner, fresh)
}

/// Calls `inner` on `request` in `scope`, now: with the scope in the request's extensions (where
/// axum's `Inject` and tonic's `RequestScope` find it), and entered as the current scope while
/// `inner.call` runs and while its future is polled. The future ([`Calling`]) gives the response
/// with the scope's end, for the caller to attach to its body (or to dispose before answering).
pub(crate) fn call<S, B, Sc>(scope: Sc, mut request: http::Request<B>, inner: &mut S) -> Calling<S::Future, Sc>
where
    S: Inner<B>,
    Sc: Scope,
{
    request.extensions_mut().insert(scope.clone());
    // until the response is handed over, dropping the future means the client went away
    let end = ScopeEnd { scope: Some(scope.clone()), outcome: Outcome::Cancelled };
    let called = std::panic::catch_unwind(AssertUnwindSafe(|| {
        crate::current::enter_sync(scope.as_current(), || inner.call(request))
    }));
    let called = match called {
        Ok(called) => called,
        Err(panic) => {
            end.finish(Outcome::Panicked);
            std::panic::resume_unwind(panic)
        }
    };
    let entered = crate::current::enter(scope.as_current(), called);
    Calling { entered: AssertUnwindSafe(entered).catch_unwind(), end: Some(end) }
}

pin_project_lite::pin_project! {
    /// The future of [`call`]: the inner service's future, polled with the scope entered. A panic
    /// ends the scope as `Panicked` and goes on; an error ends it as `Failed`; dropped before the
    /// response, it ends the scope as `Cancelled`. Not boxed: a layer's future holds it in place.
    pub struct Calling<F: Future, Sc: Scope> {
        #[pin]
        entered: futures_util::future::CatchUnwind<AssertUnwindSafe<crate::current::Entering<F>>>,
        end: Option<ScopeEnd<Sc>>,
    }
}

impl<F, Sc, R, E> Future for Calling<F, Sc>
where
    F: Future<Output = Result<http::Response<R>, E>>,
    Sc: Scope,
{
    type Output = Result<(http::Response<R>, ScopeEnd<Sc>), E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let called = ready!(this.entered.poll(cx));
        let end = this.end.take().expect("a call's future polled after it completed");
        Poll::Ready(match called {
            Err(panic) => {
                end.finish(Outcome::Panicked);
                std::panic::resume_unwind(panic)
            }
            Ok(Err(error)) => {
                end.finish(Outcome::Failed);
                Err(error)
            }
            Ok(Ok(response)) => Ok((response, end)),
        })
    }
}

/// A layer's response once its inner service has answered: given now, or by a future (the
/// scope disposed first, as `dispose_before_response` and `dispose_before_status` ask).
pub enum Answered<Res, E> {
    /// The response, its body holding the scope's end.
    Now(Res),
    /// The response once the scope is disposed.
    Later(BoxFuture<'static, Result<Res, E>>),
}

impl<Res, E> Answered<Res, E> {
    /// The response, awaiting the disposal if there is one (axum's layer, when its inputs are
    /// awaited).
    #[cfg(feature = "axum")]
    pub(crate) async fn get(self) -> Result<Res, E> {
        match self {
            Answered::Now(response) => Ok(response),
            Answered::Later(response) => response.await,
        }
    }
}

/// How a layer turns its inner service's response into its own: what a finished response means
/// (a status, or gRPC's `grpc-status`) and whether the scope is disposed before the answer are
/// the layer's to say.
pub trait Answer: Copy {
    /// The layer's response.
    type Response;
    /// `response`, whose request's scope `end` ends with its body or is disposed first.
    fn answer<R, Sc, E>(self, response: http::Response<R>, end: ScopeEnd<Sc>) -> Answered<Self::Response, E>
    where
        R: Body<Data = Bytes, Error: Into<BoxError>> + Send + 'static,
        Sc: Scope,
        E: Send + 'static;
}

pin_project_lite::pin_project! {
    /// The future of a call under a scope layer, which is its service's `Future` (a type users
    /// never name): the inner service called (held in place, not boxed), then its response
    /// answered; or an answer at once (a rejection); or a boxed future (the rare paths: a scope
    /// disposed before the answer, inputs taken by extractors).
    #[project = ServingProj]
    pub enum Serving<F: Future, Sc: Scope, A: Answer, E> {
        Calling { #[pin] call: Calling<F, Sc>, answer: A },
        Given { given: Option<Result<A::Response, E>> },
        Waiting { future: BoxFuture<'static, Result<A::Response, E>> },
    }
}

impl<F: Future, Sc: Scope, A: Answer, E> Serving<F, Sc, A, E> {
    /// `call`, then `answer` to its response.
    pub(crate) fn calling(call: Calling<F, Sc>, answer: A) -> Self {
        Serving::Calling { call, answer }
    }

    /// `given`, at once.
    pub(crate) fn given(given: Result<A::Response, E>) -> Self {
        Serving::Given { given: Some(given) }
    }

    /// What `future` gives.
    #[cfg(feature = "axum")]
    pub(crate) fn waiting(future: BoxFuture<'static, Result<A::Response, E>>) -> Self {
        Serving::Waiting { future }
    }
}

impl<F, Sc, A, E, R> Future for Serving<F, Sc, A, E>
where
    F: Future<Output = Result<http::Response<R>, E>>,
    R: Body<Data = Bytes, Error: Into<BoxError>> + Send + 'static,
    Sc: Scope,
    A: Answer,
    E: Send + 'static,
{
    type Output = Result<A::Response, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            match self.as_mut().project() {
                ServingProj::Calling { call, answer } => {
                    let answer = *answer;
                    let next = match ready!(call.poll(cx)) {
                        Ok((response, end)) => match answer.answer(response, end) {
                            Answered::Now(response) => Serving::given(Ok(response)),
                            Answered::Later(future) => Serving::Waiting { future },
                        },
                        Err(error) => Serving::given(Err(error)),
                    };
                    self.set(next);
                }
                ServingProj::Given { given } => {
                    return Poll::Ready(given.take().expect("a call's future polled after it completed"));
                }
                ServingProj::Waiting { future } => return future.as_mut().poll(cx),
            }
        }
    }
}

/// A request's scope, disposed in the background with `outcome` when this is dropped.
// `pub`: named in the output of `Calling`, a type that a layer's service's `Future` holds
#[allow(unreachable_pub)]
pub struct ScopeEnd<S: Scope> {
    scope: Option<S>,
    outcome: Outcome,
}

impl<S: Scope> ScopeEnd<S> {
    /// Ends the scope now, as `outcome`.
    pub(crate) fn finish(mut self, outcome: Outcome) {
        self.outcome = outcome;
    }

    /// The scope, for its caller to dispose.
    pub(crate) fn take(mut self) -> S {
        self.scope.take().expect("a scope is ended once")
    }

    /// `body`, which ends the scope when it ends: as `finished` unless its trailers say
    /// otherwise (`trailers` reads them), as `Failed` when it fails, as `Cancelled` when it is
    /// dropped before its end.
    pub(crate) fn attach<B: Body>(
        self,
        body: B,
        finished: Outcome,
        trailers: fn(&HeaderMap) -> Option<Outcome>,
    ) -> ScopedBody<B, S> {
        ScopedBody { inner: body, end: Some(self), finished, trailers }
    }
}

impl<S: Scope> Drop for ScopeEnd<S> {
    fn drop(&mut self) {
        if let Some(scope) = self.scope.take() {
            scope.dispose_in_background(self.outcome);
        }
    }
}

pin_project_lite::pin_project! {
    /// A response body that ends its request's scope when it ends (as `finished`, or as its
    /// trailers say), fails (as `Failed`), or is dropped before its end (as `Cancelled`: the
    /// client went away).
    pub(crate) struct ScopedBody<B: Body, S: Scope> {
        #[pin]
        inner: B,
        end: Option<ScopeEnd<S>>,
        finished: Outcome,
        trailers: fn(&HeaderMap) -> Option<Outcome>,
    }

    impl<B: Body, S: Scope> PinnedDrop for ScopedBody<B, S> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            // a body known to be complete may be dropped without being polled to its end
            if let Some(end) = this.end.take()
                && this.inner.is_end_stream()
            {
                end.finish(*this.finished);
            }
        }
    }
}

impl<B: Body<Data = Bytes>, S: Scope> Body for ScopedBody<B, S> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let this = self.project();
        let frame = ready!(this.inner.poll_frame(cx));
        let ended = match &frame {
            None => Some(*this.finished),
            Some(Err(_)) => Some(Outcome::Failed),
            Some(Ok(frame)) => {
                if let Some(outcome) = frame.trailers_ref().and_then(*this.trailers) {
                    *this.finished = outcome;
                }
                None
            }
        };
        if let Some(outcome) = ended
            && let Some(end) = this.end.take()
        {
            end.finish(outcome);
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
