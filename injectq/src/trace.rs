//! The `tracing` feature: spans for creations, events for start-up.

use std::future::Future;
use std::time::Instant;

use tracing::Instrument;

/// `building`, inside an `injectq.create` span that records how long it took.
pub(crate) fn creation<F: Future>(
    service: &'static str,
    container: &'static str,
    building: F,
) -> impl Future<Output = F::Output> {
    let span = tracing::debug_span!(
        target: "injectq",
        "injectq.create",
        service,
        container,
        elapsed_us = tracing::field::Empty
    );
    let recorded = span.clone();
    async move {
        let started = Instant::now();
        let out = building.await;
        recorded.record("elapsed_us", u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
        out
    }
    .instrument(span)
}

/// `build`, a creation by plain calls, inside the same `injectq.create` span; no span is recorded
/// when `build` finds a dependency not ready (`None`), as nothing was created.
pub(crate) fn creation_now<T>(
    service: &'static str,
    container: &'static str,
    build: impl FnOnce() -> Option<T>,
) -> Option<T> {
    let span = tracing::debug_span!(
        target: "injectq",
        "injectq.create",
        service,
        container,
        elapsed_us = tracing::field::Empty
    );
    let started = Instant::now();
    let out = span.in_scope(build);
    span.record("elapsed_us", u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
    out
}

pub(crate) fn starting(container: &'static str, singletons: usize) -> Instant {
    tracing::info!(target: "injectq", container, singletons, "starting `{container}`: creating {singletons} singleton(s)");
    Instant::now()
}

pub(crate) fn started(container: &'static str, since: Instant) {
    let elapsed_ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(target: "injectq", container, elapsed_ms, "`{container}` started in {elapsed_ms} ms");
}
