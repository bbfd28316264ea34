//! The object graphs that the benchmarks build, each three ways: hand-written, with injectq, and
//! with the peers that can express it. Shared by `benches/scenarios.rs` and `src/bin/sizes.rs`.

// the hand-written chain of 50 singletons nests 50 futures, which rustc lays out with a query
// depth of about 10 per level: over its default limit of 128
#![recursion_limit = "1024"]

pub mod chains;
pub mod counting;
pub mod graphs;
pub mod web;

/// Polls `future` once, with a waker that does nothing, and returns its output: how the
/// scenarios measure a resolve without an executor's loop around it (the future must be ready
/// at its first poll; it panics otherwise).
///
/// Inlined into the measured closure, as an `.await` in an `async fn` is into that fn's poll:
/// called, it would hand the output back through memory of its own, a cost of this harness that
/// no program pays (measured: a singleton's resolve 18.8 ns called, 4.8 ns inlined).
#[inline(always)]
pub fn poll_once<F: std::future::Future>(future: F) -> F::Output {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut cx) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("a future measured by `poll_once` was not ready at its first poll"),
    }
}
