//! Small future helpers, at the bottom of the crate (they import nothing of it but `Result`):
//! [`BoxFuture`]; [`Mapped`], a future whose output is mapped when it completes, with the two
//! mappings resolutions use ([`within`], [`some`]); and [`until`], a wait on a `Notify` for a
//! condition.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Waits until `ready` returns `Some`, looking again each time `changed` wakes its waiters; what
/// it returned. In the queue before each look, so that a change made after the look wakes it.
pub(crate) async fn until<T>(changed: &tokio::sync::Notify, mut ready: impl FnMut() -> Option<T>) -> T {
    loop {
        let mut woken = std::pin::pin!(changed.notified());
        woken.as_mut().enable();
        if let Some(done) = ready() {
            return done;
        }
        woken.await;
    }
}

/// A boxed, `Send` future: a singleton's or scoped service's creation, a disposal, a creation of
/// `start()`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pin_project_lite::pin_project! {
    /// `resolving`, its output mapped by `map`. Like `futures_util`'s `Map`, without the state
    /// that `Map` keeps to take its `FnOnce` out: `map` is `Fn`, so this future is a plain
    /// struct and its `poll` is a few lines. That matters because it is compiled once per
    /// registration (every transient and every shared service wraps its building in one).
    ///
    /// Like an `async` block, it must not be polled after it completed (the inner future decides
    /// what happens then).
    pub(crate) struct Mapped<F, M> {
        #[pin]
        resolving: F,
        map: M,
    }
}

/// `resolving`, its output mapped by `map`.
#[inline]
pub(crate) fn mapped<F, M, O>(resolving: F, map: M) -> Mapped<F, M>
where
    F: Future,
    M: Fn(F::Output) -> O,
{
    Mapped { resolving, map }
}

impl<F, M, O> Future for Mapped<F, M>
where
    F: Future,
    M: Fn(F::Output) -> O,
{
    type Output = O;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<O> {
        let this = self.project();
        match this.resolving.poll(cx) {
            Poll::Ready(out) => Poll::Ready((this.map)(out)),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Adds `name` to the error path of a failed resolution.
pub(crate) fn within<T>(
    resolving: impl Future<Output = crate::Result<T>>,
    name: &'static str,
) -> impl Future<Output = crate::Result<T>> {
    mapped(resolving, move |r| r.map_err(|e| e.within(name)))
}

/// `Option<T>` for a dependency the container provides: `Some`, or the error of its resolution
/// (never silently `None`).
pub(crate) fn some<T>(
    resolving: impl Future<Output = crate::Result<T>>,
) -> impl Future<Output = crate::Result<Option<T>>> {
    mapped(resolving, |r| r.map(Some))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_output_is_mapped_once_the_inner_future_completes() {
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        let mut doubled = std::pin::pin!(mapped(rx, |r: Result<u32, _>| r.map(|v| v * 2)));
        let waker = std::task::Waker::noop();
        assert!(doubled.as_mut().poll(&mut Context::from_waker(waker)).is_pending());
        tx.send(21).unwrap();
        assert_eq!(doubled.await.unwrap(), 42);
    }
}
