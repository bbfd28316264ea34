//! What a creation that is not done yet hands out, and what may be started for it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::future::BoxFuture;
use crate::{Error, Result};

/// What a `pending` (see [`Provide::pending`](crate::Provide::pending)) may start for a shared
/// service that is not created yet. It is an argument, never a mode of the thread: the user code
/// that a creation runs (a constructor, a sync factory) resolves as anywhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Starts {
    /// its creation, by plain calls where it can be, or else its driver: for what is awaited
    Drivers,
    /// only a creation by plain calls: one that would have to await (a dependency that must be
    /// awaited, a gate another creation holds) is not started and is [`Pending::NotNow`]; for
    /// `get`, and for an assembled creation that creates its dependencies before itself
    PlainCalls,
}

/// The creation of a shared service that another one waits for before it can be built by plain
/// calls (an assembled one): its failure, or its driver. Not generic, whatever the service.
pub enum Pending<'a> {
    /// failed at once (a cycle, a disposed owner, a failed creation by plain calls)
    Failed(Option<Error>),
    /// the creation's driver: done when the instance is stored
    Later(BoxFuture<'a, Result<()>>),
    /// created by plain calls while its owner was being disposed: disposed, then refused
    Refused(BoxFuture<'static, Error>),
    /// not started, because it would have had to await and only creations by plain calls were
    /// asked for ([`Starts::PlainCalls`]): the error that `get` returns for it. Never awaited: only
    /// a driver awaits what `pending` gives, and it asks for [`Starts::Drivers`]
    NotNow(Error),
}

impl<'a> Pending<'a> {
    /// The same, its failure seen from `service`, which needs it (a transient on the way from the
    /// service that awaits it: its error's path then names it).
    pub fn within(self, service: &'static str) -> Pending<'a> {
        match self {
            Pending::Failed(failed) => Pending::Failed(failed.map(|e| e.within(service))),
            Pending::Later(later) => Pending::Later(Box::pin(crate::future::mapped(later, move |r: Result<()>| {
                r.map_err(|e| e.within(service))
            }))),
            Pending::Refused(refused) => {
                Pending::Refused(Box::pin(crate::future::mapped(refused, move |e: Error| e.within(service))))
            }
            Pending::NotNow(not_ready) => Pending::NotNow(not_ready.within(service)),
        }
    }
}

/// A service's `pending` (see [`Provide::pending`](crate::Provide::pending)), as a function.
pub(crate) type PendingFn<C> = for<'c> fn(&'c C, Starts) -> Option<Pending<'c>>;

/// Awaits, one after the other, the creations that `pending` hands out, until it has none left:
/// `waiting` is the one awaited now. Generic in the container only.
pub(super) fn settle<'a, C>(
    c: &'a C,
    pending: PendingFn<C>,
    waiting: &mut Option<Pending<'a>>,
    cx: &mut Context<'_>,
) -> Poll<Result<()>> {
    loop {
        if let Some(awaited) = waiting {
            let created = std::task::ready!(Pin::new(awaited).poll(cx));
            *waiting = None;
            created?;
        }
        match pending(c, Starts::Drivers) {
            Some(next) => *waiting = Some(next),
            None => return Poll::Ready(Ok(())),
        }
    }
}

/// A transient that settles (see [`Transient::SETTLES`](crate::registry::Transient::SETTLES)) whose shared
/// dependencies are not all created yet: awaits their creations, then builds it by plain calls
/// with `now`. Boxed, as a transient's building is; nothing of it is `async`.
pub(crate) fn settling<'a, C: Sync, T: 'a>(
    c: &'a C,
    pending: PendingFn<C>,
    now: fn(&C, &mut Option<Error>) -> Option<T>,
) -> BoxFuture<'a, Result<T>> {
    Box::pin(Settling { c, pending, now, waiting: None })
}

/// The future [`settling`] returns.
struct Settling<'a, C, T> {
    c: &'a C,
    pending: PendingFn<C>,
    now: fn(&C, &mut Option<Error>) -> Option<T>,
    waiting: Option<Pending<'a>>,
}

impl<C, T> Future for Settling<'_, C, T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        std::task::ready!(settle(this.c, this.pending, &mut this.waiting, cx))?;
        // every shared dependency is created, and nothing else in the graph must be awaited
        // (`Transient::SETTLES`)
        let c = this.c;
        let built = crate::error::now_result(|failed| (this.now)(c, failed));
        Poll::Ready(built.expect("a transient that settles is built by plain calls once settled"))
    }
}

impl Future for Pending<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        match self.get_mut() {
            Pending::Failed(failed) => {
                Poll::Ready(Err(failed.take().expect("a pending creation polled after it failed")))
            }
            Pending::Later(later) => later.as_mut().poll(cx),
            Pending::Refused(refused) => refused.as_mut().poll(cx).map(Err),
            Pending::NotNow(_) => unreachable!("only a driver awaits a creation, and it starts drivers"),
        }
    }
}
