//! The deadline of one creation, when its container has a create timeout: nothing is allocated
//! when it has none.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A running deadline: the limit, and the timer that fires at its end.
pub(crate) struct Deadline {
    limit: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    /// Starts a deadline of `limit` from now, if there is a limit. Needs tokio's timer (a runtime
    /// built with `enable_time`, as `#[tokio::main]` is).
    pub(crate) fn start(limit: Option<Duration>) -> Option<Deadline> {
        limit.map(|limit| Deadline { limit, timer: Box::pin(tokio::time::sleep(limit)) })
    }

    /// The limit it enforces.
    pub(crate) fn limit(&self) -> Duration {
        self.limit
    }
}

pin_project_lite::pin_project! {
    /// [`bounded`]'s future.
    pub(crate) struct Bounded<'a, F> {
        #[pin]
        work: F,
        deadline: Option<&'a mut Deadline>,
    }
}

/// `work`, or `Err(limit)` if `deadline` passes first (then `work` is dropped with this future).
pub(crate) fn bounded<F: Future>(deadline: Option<&mut Deadline>, work: F) -> Bounded<'_, F> {
    Bounded { work, deadline }
}

impl<F: Future> Future for Bounded<'_, F> {
    type Output = Result<F::Output, Duration>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // the deadline first: work that finishes only because something else missed the same
        // deadline (a task it waited for) has missed it too
        if let Some(deadline) = this.deadline
            && deadline.timer.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Err(deadline.limit));
        }
        this.work.poll(cx).map(Ok)
    }
}
