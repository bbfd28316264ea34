//! The `tracing` feature: spans for creations, events for start-up.

use std::future::Future;
use std::time::Instant;

use tracing::Instrument;

/// The `injectq.create` span of one creation; `elapsed_us` is recorded when it ends.
fn create_span(service: &'static str, container: &'static str) -> tracing::Span {
    tracing::debug_span!(
        target: "injectq",
        "injectq.create",
        service,
        container,
        elapsed_us = tracing::field::Empty
    )
}

fn record_elapsed(span: &tracing::Span, started: Instant) {
    span.record("elapsed_us", u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
}

/// `building`, inside an `injectq.create` span that records how long it took.
pub(crate) fn creation<F: Future>(
    service: &'static str,
    container: &'static str,
    building: F,
) -> impl Future<Output = F::Output> {
    let span = create_span(service, container);
    let recorded = span.clone();
    async move {
        let started = Instant::now();
        let out = building.await;
        record_elapsed(&recorded, started);
        out
    }
    .instrument(span)
}

/// `build`, a creation by plain calls, inside the same `injectq.create` span.
pub(crate) fn creation_now<T>(
    service: &'static str,
    container: &'static str,
    build: impl FnOnce() -> Option<T>,
) -> Option<T> {
    let span = create_span(service, container);
    let started = Instant::now();
    let out = span.in_scope(build);
    record_elapsed(&span, started);
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
