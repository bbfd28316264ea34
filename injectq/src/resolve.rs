//! `resolve()`: the future every container's and scope's `resolve` returns. What is ready (a
//! created shared service, a value, a transient built by plain calls) is handed out at its first
//! poll, inline; the rest starts the strategy's `provide` and polls it, in calls of their own.

use std::future::Future;
use std::pin::Pin;

use crate::bag::Bags;
use crate::{Error, Provide};

/// `resolve()`. Its first poll fails with [`ErrorKind::Disposed`](crate::ErrorKind::Disposed)
/// if any of `bags` is closed; returns at once what can be provided without awaiting (a created
/// shared service, a value, a transient built by plain calls), handing the value straight to the
/// caller; and otherwise starts `provide()` and polls it.
#[inline]
pub fn resolving<'a, T, P, V, F, B>(bags: B, c: &'a P, provide: V) -> Resolving<'a, P, V, F, B>
where
    P: Provide<T> + ?Sized,
    V: FnOnce(&'a P) -> F,
    F: Future<Output = crate::Result<T>>,
    B: Bags,
{
    Resolving::Start { start: Some((c, bags, provide)) }
}

/// What the first poll of a [`Resolving`] starts from: the container, its disposal bags and how
/// it provides a `T` (`V`, a function item: it takes no room).
type Start<'a, P, V, B> = (&'a P, B, V);

pin_project_lite::pin_project! {
    /// The future [`resolving`] returns. Two states, set once: compiled for every type that a
    /// program resolves, so it is kept to a few lines.
    #[project = ResolvingProj]
    // the variants' fields are described on the variants: this macro takes no attribute on a field
    #[allow(missing_docs)]
    pub enum Resolving<'a, P: ?Sized, V, F, B> {
        /// not polled yet: `start` is what the first poll starts from (`None`: done on the
        /// first poll)
        Start { start: Option<Start<'a, P, V, B>> },
        /// being provided: `later` is the strategy's `provide`, started
        Later { #[pin] later: F },
    }
}

impl<'a, T, P, V, F, B> Future for Resolving<'a, P, V, F, B>
where
    P: Provide<T> + ?Sized,
    V: FnOnce(&'a P) -> F,
    F: Future<Output = crate::Result<T>>,
    B: Bags,
{
    type Output = crate::Result<T>;

    // inline: the first poll of what is ready is the whole of most resolves; what awaits is a
    // call of its own (`poll_later`, `start_later`), so that this stays a few instructions
    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        let (c, bags, provide) = match self.as_mut().project() {
            ResolvingProj::Later { later } => return poll_later(later, cx),
            ResolvingProj::Start { start } => start.take().expect("a resolution polled after it completed"),
        };
        if let Err(disposed) = bags.open() {
            return Poll::Ready(Err(disposed));
        }
        let mut failed = None;
        match crate::provide::ready_now(c, &mut failed) {
            Some(value) => Poll::Ready(Ok(value)),
            None => start_later(self, c, provide, failed, cx),
        }
    }
}

/// A [`Resolving`] whose `T` failed without awaiting (`failed`), or must be awaited:
/// `provide(c)` started, and polled.
#[inline(never)]
fn start_later<'a, T, P: ?Sized, V: FnOnce(&'a P) -> F, F: Future<Output = crate::Result<T>>, B>(
    mut resolving: Pin<&mut Resolving<'a, P, V, F, B>>,
    c: &'a P,
    provide: V,
    failed: Option<Error>,
    cx: &mut std::task::Context<'_>,
) -> std::task::Poll<F::Output> {
    if let Some(failed) = failed {
        return std::task::Poll::Ready(Err(failed));
    }
    resolving.set(Resolving::Later { later: provide(c) });
    match resolving.project() {
        ResolvingProj::Later { later } => later.poll(cx),
        ResolvingProj::Start { .. } => unreachable!("a resolution is providing once started"),
    }
}

/// A [`Resolving`] being provided, polled again.
#[inline(never)]
fn poll_later<F: Future>(later: Pin<&mut F>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
    later.poll(cx)
}
