use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use super::*;
use crate::BoxError;

fn recorder(
    log: &Arc<Mutex<Vec<&'static str>>>,
    name: &'static str,
    outcome: std::result::Result<(), &'static str>,
) -> Disposer {
    let log = Arc::clone(log);
    Disposer::new(name, move || async move {
        log.lock().unwrap().push(name);
        match outcome {
            Ok(()) => Ok(()),
            Err("panic") => panic!("{name} exploded"),
            Err(message) => Err(BoxError::from(message)),
        }
    })
}

#[tokio::test]
async fn disposers_run_newest_first_and_every_failure_is_reported() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let bag = DisposeBag::root("Scope", "");
    for (name, outcome) in
        [("a", Ok(())), ("b", Err("b failed")), ("c", Err("panic")), ("d", Ok(())), ("e", Err("e failed"))]
    {
        bag.push(recorder(&log, name, outcome)).unwrap();
    }
    let error = bag.dispose().await.unwrap_err();
    assert_eq!(*log.lock().unwrap(), ["e", "d", "c", "b", "a"], "all ran, newest first");
    let failed: Vec<_> = error.failures().iter().map(|f| (f.service(), f.panicked())).collect();
    assert_eq!(failed, [("e", false), ("c", true), ("b", false)]);
    assert_eq!(
        error.to_string(),
        "disposing `Scope`: 3 disposers failed; `e`: e failed; `c` panicked: c exploded; `b`: b failed"
    );
    assert_eq!(error.failures()[0].error().unwrap().to_string(), "e failed");
}

#[tokio::test]
async fn a_second_disposal_returns_the_outcome_of_the_first_and_runs_nothing() {
    let runs = Arc::new(AtomicUsize::new(0));
    let bag = DisposeBag::root("App", "");
    let counter = Arc::clone(&runs);
    bag.push(Disposer::new("svc", move || async move {
        counter.fetch_add(1, SeqCst);
        Err::<(), BoxError>("refused".into())
    }))
    .unwrap();
    let first = bag.dispose().await.unwrap_err();
    let second = bag.dispose().await.unwrap_err();
    assert_eq!(runs.load(SeqCst), 1);
    assert_eq!(first.to_string(), second.to_string());
    assert!(bag.is_closed());
    let late = Disposer::new("late", || async { Ok::<_, BoxError>(()) });
    assert!(bag.push(late).is_err(), "a closed bag gives the disposer back to run at once");
}

#[tokio::test]
async fn a_dropped_bag_is_disposed_on_the_current_runtime() {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let bag = DisposeBag::root("Scope", "");
    bag.push(Disposer::after("conn", move |outcome| async move {
        let _ = tx.send(outcome);
        Ok::<_, BoxError>(())
    }))
    .unwrap();
    drop(bag);
    assert_eq!(rx.await.unwrap(), Outcome::Cancelled, "dropped undisposed: the work was cut short");
}

#[tokio::test]
async fn the_worst_outcome_reported_is_the_one_disposers_see() {
    for (reports, seen) in [
        (&[][..], Outcome::Completed),
        (&[Outcome::Failed][..], Outcome::Failed),
        (&[Outcome::Panicked, Outcome::Failed][..], Outcome::Panicked),
    ] {
        let bag = DisposeBag::root("Scope", "");
        let (tx, rx) = tokio::sync::oneshot::channel();
        bag.push(Disposer::after("tx", move |outcome| async move {
            let _ = tx.send(outcome);
            Ok::<_, BoxError>(())
        }))
        .unwrap();
        for outcome in reports {
            bag.report(*outcome);
        }
        bag.dispose().await.unwrap();
        assert_eq!(rx.await.unwrap(), seen, "{reports:?}");
    }
}

#[test]
fn a_disposal_cancelled_outside_a_runtime_is_parked_and_the_next_call_finishes_it() {
    let runs = Arc::new(AtomicUsize::new(0));
    let bag = DisposeBag::root("Scope", "");
    for _ in 0..3 {
        let (runs, mut polls) = (Arc::clone(&runs), 0);
        bag.push(Disposer::new("slow", move || {
            std::future::poll_fn(move |cx| {
                polls += 1;
                if polls < 2 {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                runs.fetch_add(1, SeqCst);
                Poll::Ready(Ok::<_, BoxError>(()))
            })
        }))
        .unwrap();
    }
    // one poll, outside any runtime, then dropped: nothing can take the rest over, so it waits
    let mut first = Box::pin(bag.dispose());
    let waker = std::task::Waker::noop();
    assert!(first.as_mut().poll(&mut Context::from_waker(waker)).is_pending());
    drop(first);
    assert_eq!(runs.load(SeqCst), 0);
    let mut second = Box::pin(bag.dispose());
    // each disposer is pending once: the whole takes a few polls, never more than these
    let done = (0..100)
        .find_map(|_| match second.as_mut().poll(&mut Context::from_waker(waker)) {
            Poll::Ready(done) => Some(done),
            Poll::Pending => None,
        })
        .expect("the second call finishes the disposal within 100 polls");
    done.unwrap();
    assert_eq!(runs.load(SeqCst), 3, "the second call finished the first one's work, running each disposer once");
}

/// A waker that records that it was woken.
struct Flag(std::sync::atomic::AtomicBool);

impl std::task::Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, SeqCst);
    }
}

#[test]
fn a_caller_waiting_for_a_disposal_is_woken_when_its_driver_is_dropped_and_finishes_it() {
    let runs = Arc::new(AtomicUsize::new(0));
    let bag = DisposeBag::root("Scope", "");
    let (counted, mut polls) = (Arc::clone(&runs), 0);
    bag.push(Disposer::new("slow", move || {
        std::future::poll_fn(move |_| {
            polls += 1;
            if polls < 2 {
                return Poll::Pending;
            }
            counted.fetch_add(1, SeqCst);
            Poll::Ready(Ok::<_, BoxError>(()))
        })
    }))
    .unwrap();
    let noop = std::task::Waker::noop();
    // the first call drives it (outside any runtime), the second waits for it
    let mut first = Box::pin(bag.dispose());
    assert!(first.as_mut().poll(&mut Context::from_waker(noop)).is_pending());
    let flag = Arc::new(Flag(std::sync::atomic::AtomicBool::new(false)));
    let waker = std::task::Waker::from(Arc::clone(&flag));
    let mut second = Box::pin(bag.dispose());
    assert!(second.as_mut().poll(&mut Context::from_waker(&waker)).is_pending(), "it waits for the first");
    assert!(!flag.0.load(SeqCst));
    // the driver goes: its work is parked, and the waiting caller is told to look again
    drop(first);
    assert!(flag.0.load(SeqCst), "the waiting caller was woken");
    let done = (0..100)
        .find_map(|_| match second.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(done) => Some(done),
            Poll::Pending => None,
        })
        .expect("the waiting caller finishes the disposal");
    done.unwrap();
    assert_eq!(runs.load(SeqCst), 1);
    // and a caller that waits while the disposal ends is woken by its end
    let bag = DisposeBag::root("Scope", "");
    let mut polls = 0;
    bag.push(Disposer::new("two polls", move || {
        std::future::poll_fn(move |_| {
            polls += 1;
            if polls < 2 { Poll::Pending } else { Poll::Ready(Ok::<_, BoxError>(())) }
        })
    }))
    .unwrap();
    let mut first = Box::pin(bag.dispose());
    assert!(first.as_mut().poll(&mut Context::from_waker(noop)).is_pending());
    let flag = Arc::new(Flag(std::sync::atomic::AtomicBool::new(false)));
    let waker = std::task::Waker::from(Arc::clone(&flag));
    let mut second = Box::pin(bag.dispose());
    assert!(second.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
    assert!(first.as_mut().poll(&mut Context::from_waker(noop)).is_ready());
    assert!(flag.0.load(SeqCst), "the end of the disposal woke the waiting caller");
    assert!(second.as_mut().poll(&mut Context::from_waker(&waker)).is_ready());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disposer_past_its_deadline_is_abandoned_and_the_others_still_run() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let bag = DisposeBag::root("App", "");
    bag.set_dispose_timeout(Duration::from_millis(20));
    bag.push(recorder(&log, "first", Ok(()))).unwrap();
    bag.push(Disposer::new("hung", std::future::pending::<std::result::Result<(), BoxError>>)).unwrap();
    bag.push(recorder(&log, "last", Ok(()))).unwrap();
    let error = tokio::time::timeout(Duration::from_secs(10), bag.dispose()).await.expect("bounded").unwrap_err();
    assert_eq!(*log.lock().unwrap(), ["last", "first"]);
    assert_eq!(error.failures().len(), 1);
    assert!(error.failures()[0].timed_out());
    assert_eq!(
        error.to_string(),
        "disposing `App`: 1 disposer failed; `hung` did not finish within 20ms and was abandoned"
    );
}

/// Collects the fields of every event, as text.
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!("{} ", event.metadata().level()));
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn a_bag_dropped_outside_a_runtime_says_so_and_names_what_was_not_disposed() {
    let events = Arc::new(Mutex::new(Vec::new()));
    tracing::subscriber::with_default(Capture(Arc::clone(&events)), || {
        let bag = DisposeBag::root("AppScope", "");
        bag.push(Disposer::new("Connection", || async { Ok::<_, BoxError>(()) })).unwrap();
        bag.push(Disposer::new("Transaction", || async { Ok::<_, BoxError>(()) })).unwrap();
        drop(bag);
    });
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].starts_with("ERROR "), "{}", events[0]);
    assert!(events[0].contains("`AppScope` was not disposed: no tokio runtime was left"), "{}", events[0]);
    assert!(events[0].contains(r#"not_disposed=["Transaction", "Connection"]"#), "{}", events[0]);
}

#[test]
fn scopes_still_open_at_a_shutdown_are_not_counted_as_failed_disposers() {
    use crate::dispose::Cause;
    let open = DisposeFailure::still_open("AppScope", 31);
    let failed = DisposeFailure::new("Pool", Cause::error("the socket is closed".into()));
    let alone = DisposeError::new("App", vec![open.clone()]);
    assert_eq!(alone.to_string(), "disposing `App`: 31 `AppScope`s were still open at the shutdown deadline");
    let both = DisposeError::new("App", vec![open, failed]);
    assert_eq!(
        both.to_string(),
        "disposing `App`: 1 disposer failed; 31 `AppScope`s were still open at the shutdown deadline; `Pool`: the socket is closed"
    );
}

/// What a service owns, whose `Drop` panics (an input with a broken `Drop`, say).
struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("the input's drop panicked");
    }
}

/// A service whose disposal succeeds, holding what panics when dropped.
struct Holder(#[allow(dead_code)] PanicsOnDrop);

impl crate::AsyncDispose for Holder {
    async fn dispose(&self) -> std::result::Result<(), BoxError> {
        Ok(())
    }
}

#[tokio::test]
async fn a_panic_dropping_what_a_disposed_service_owned_is_not_its_disposer_panicking() {
    let bag = DisposeBag::root("AppScope", "");
    // the disposer holds the last handle: the service goes with it, after its disposal
    bag.push(Disposer::of("Session", Arc::new(Holder(PanicsOnDrop)))).unwrap();
    let error = bag.dispose().await.unwrap_err();
    let failure = &error.failures()[0];
    assert!(!failure.panicked(), "the disposer itself did not panic: {error}");
    assert_eq!(
        failure.to_string(),
        "`Session` was disposed, then dropping it (or something it owned, an input say) panicked: the input's drop panicked"
    );
}
