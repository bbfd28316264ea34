//! Hosted services: started by `start()` after every singleton, each after the hosted services it
//! depends on and independent ones at once; a report slowest first; a failed start stops what
//! started; stopped by `shutdown()` and `dispose()` before anything they depend on is disposed, in
//! reverse, independent ones at once, each within a deadline; readiness.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, ErrorKind, Hosted, container, injectable};
use support::bounded;
use tokio::sync::Barrier;

mod support;

/// What happened, in order, and how each service should behave.
pub struct Script {
    log: Mutex<Vec<String>>,
    starts: AtomicUsize,
    /// `start` of these fails
    fail_start: Mutex<Vec<&'static str>>,
    /// `stop` of these never returns
    hang_stop: Mutex<Vec<&'static str>>,
    /// how long each start takes, in ms
    start_ms: Mutex<Vec<(&'static str, u64)>>,
    /// `Broker` and `Mailer` meet here when they start, and `Relay` and `Digest` when they stop:
    /// neither gets past it unless both are in at once
    meet_start: Barrier,
    meet_stop: Barrier,
    /// whether `Relay` and `Digest` meet when they stop (not when one of them may not start)
    meet_at_stop: std::sync::atomic::AtomicBool,
}

impl Script {
    fn new() -> Arc<Self> {
        Arc::new(Script {
            log: Mutex::default(),
            starts: AtomicUsize::new(0),
            fail_start: Mutex::default(),
            hang_stop: Mutex::default(),
            start_ms: Mutex::default(),
            meet_start: Barrier::new(2),
            meet_stop: Barrier::new(2),
            meet_at_stop: std::sync::atomic::AtomicBool::new(true),
        })
    }

    fn write(&self, line: impl Into<String>) {
        self.log.lock().unwrap().push(line.into());
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn position(&self, line: &str) -> usize {
        self.log().iter().position(|l| l == line).unwrap_or_else(|| panic!("`{line}` not in {:?}", self.log()))
    }

    async fn start(&self, name: &'static str) -> Result<(), BoxError> {
        self.starts.fetch_add(1, SeqCst);
        let ms = self.start_ms.lock().unwrap().iter().find(|(n, _)| *n == name).map_or(0, |(_, ms)| *ms);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        if matches!(name, "Broker" | "Mailer") {
            self.meet_start.wait().await;
        }
        if self.fail_start.lock().unwrap().contains(&name) {
            return Err(format!("{name} cannot connect").into());
        }
        self.write(format!("{name} started"));
        Ok(())
    }

    async fn stop(&self, name: &'static str) -> Result<(), BoxError> {
        if self.hang_stop.lock().unwrap().contains(&name) {
            std::future::pending::<()>().await;
        }
        if matches!(name, "Relay" | "Digest") && self.meet_at_stop.load(SeqCst) {
            self.meet_stop.wait().await;
        }
        self.write(format!("{name} stopped"));
        Ok(())
    }
}

/// A plain singleton with a disposer, that the hosted services depend on.
#[injectable(dispose)]
pub struct Db {
    script: Arc<Script>,
}

impl AsyncDispose for Db {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.script.write("Db disposed");
        Ok(())
    }
}

/// Hosted, depends on `Db` only.
#[injectable]
pub struct Broker {
    db: Arc<Db>,
}

/// Hosted, depends on nothing hosted.
#[injectable]
pub struct Mailer {
    script: Arc<Script>,
}

/// Not hosted: what `Digest` reaches `Mailer` through.
#[injectable]
pub struct Outbox {
    mailer: Arc<Mailer>,
}

/// Hosted, depends on `Broker` directly.
#[injectable]
pub struct Relay {
    broker: Arc<Broker>,
}

/// Hosted, depends on `Mailer` through `Outbox`.
#[injectable]
pub struct Digest {
    outbox: Arc<Outbox>,
}

macro_rules! hosted {
    ($ty:ident, $s:ident => $script:expr) => {
        impl Hosted for $ty {
            async fn start(&self) -> Result<(), BoxError> {
                let $s = self;
                $script.start(stringify!($ty)).await
            }

            async fn stop(&self) -> Result<(), BoxError> {
                let $s = self;
                $script.stop(stringify!($ty)).await
            }

            fn stop_timeout(&self) -> Option<Duration> {
                Some(Duration::from_millis(200))
            }
        }
    };
}

hosted!(Broker, s => s.db.script);
hosted!(Mailer, s => s.script);
hosted!(Relay, s => s.broker.db.script);
hosted!(Digest, s => s.outbox.mailer.script);

container! {
    pub struct App {
        value Script;
        singleton Db;
        singleton Outbox;
        hosted Relay;
        hosted Digest;
        hosted Broker;
        hosted Mailer;
    }
}

fn app() -> (App, Arc<Script>) {
    let script = Script::new();
    (App::new(Arc::clone(&script)), script)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_begins_each_service_after_its_dependencies_and_independent_ones_at_once() {
    let (app, script) = app();
    assert!(!app.is_ready(), "not ready before start");
    // `Broker` and `Mailer` each wait for the other inside `start`: they start at once, or never
    let report = bounded("start", app.start()).await.unwrap();
    let log = script.log();
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(script.position("Relay started") > script.position("Broker started"), "{log:?}");
    assert!(script.position("Digest started") > script.position("Mailer started"), "through a plain singleton");
    let after = |name: &str| report.services().iter().find(|s| s.name() == name).unwrap().after().to_vec();
    assert_eq!((after("Relay"), after("Digest"), after("Broker")), (vec!["Broker"], vec!["Mailer"], vec![]));
    assert!(app.is_ready());
    assert!(bounded("ready", app.ready()).await);
    assert_eq!(script.starts.load(SeqCst), 4, "each started once");

    // a second start returns the same report and starts nothing again
    assert_eq!(app.start().await.unwrap(), report);
    assert_eq!(script.starts.load(SeqCst), 4);

    bounded("shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap();
    assert!(!app.is_ready(), "not ready once the shutdown began");
    // `Relay` and `Digest` meet inside `stop`: they stop at once, or never
    let log = script.log();
    assert!(script.position("Relay stopped") < script.position("Broker stopped"), "reverse order: {log:?}");
    assert!(script.position("Digest stopped") < script.position("Mailer stopped"), "{log:?}");
    assert_eq!(log.last().map(String::as_str), Some("Db disposed"), "stopped before what they use is disposed");
}

#[tokio::test(start_paused = true)]
async fn the_report_names_each_service_slowest_first() {
    let (app, script) = app();
    *script.start_ms.lock().unwrap() = vec![("Broker", 40), ("Mailer", 10), ("Relay", 30), ("Digest", 20)];
    let report = app.start().await.unwrap();
    let names: Vec<_> = report.services().iter().map(|s| s.name()).collect();
    // Broker and Mailer meet, so each took as long as the slower of the two
    assert_eq!(names, ["Broker", "Mailer", "Relay", "Digest"], "{report}");
    let took: Vec<_> = report.services().iter().map(|s| s.took().as_millis()).collect();
    assert_eq!(took, [40, 40, 30, 20]);
    assert_eq!(report.total(), Duration::from_millis(70), "the longest chain, not the sum: {report}");
    let printed = report.to_string();
    assert!(printed.starts_with("`App` started in 70ms"), "{printed}");
    assert!(printed.contains("Relay") && printed.contains("(after Broker)"), "{printed}");
    app.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_start_stops_what_started_and_is_the_error() {
    let (app, script) = app();
    script.fail_start.lock().unwrap().push("Relay");
    script.meet_at_stop.store(false, SeqCst);
    let error = bounded("start", app.start()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Start, "{error}");
    assert!(
        error.to_string().contains("`Relay` failed to start") && error.to_string().contains("Relay cannot connect")
    );
    assert!(!app.is_ready());
    let log = script.log();
    // Digest may or may not have started (it does not depend on Relay); what started is stopped
    for started in log.iter().filter_map(|l| l.strip_suffix(" started")) {
        assert!(log.contains(&format!("{started} stopped")), "{started} started and was not stopped: {log:?}");
    }
    assert!(!log.contains(&"Relay stopped".to_owned()), "what did not start is not stopped");
    // the shutdown has nothing left to stop, and disposes the rest
    bounded("shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap();
    assert_eq!(
        script.log().iter().filter(|l| l.ends_with(" stopped")).count(),
        log.iter().filter(|l| l.ends_with(" started")).count()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_stop_has_a_deadline_and_the_others_still_stop() {
    let (app, script) = app();
    script.hang_stop.lock().unwrap().push("Broker");
    app.start().await.unwrap();
    let error = bounded("shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap_err();
    let failure = &error.failures()[0];
    assert_eq!((failure.service(), failure.timed_out()), ("Broker", true), "{error}");
    let log = script.log();
    for name in ["Relay", "Digest", "Mailer"] {
        assert!(log.contains(&format!("{name} stopped")), "{log:?}");
    }
    assert_eq!(log.last().map(String::as_str), Some("Db disposed"), "{log:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dispose_stops_the_hosted_services_first_too() {
    let (app, script) = app();
    app.start().await.unwrap();
    bounded("dispose", app.dispose()).await.unwrap();
    let log = script.log();
    assert_eq!(log.iter().filter(|l| l.ends_with(" stopped")).count(), 4, "{log:?}");
    assert_eq!(log.last().map(String::as_str), Some("Db disposed"));
    // and a start after it is refused
    assert_eq!(app.start().await.unwrap_err().kind(), ErrorKind::ShuttingDown);
}

/// Many `start()` calls at once, on several threads: one start of each service; every call gets
/// the same report.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_starts_start_each_service_once() {
    let (app, script) = app();
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.start().await.unwrap() })
        })
        .collect();
    let reports: Vec<_> = bounded("the starts", futures_util::future::join_all(calls)).await;
    let first = reports[0].as_ref().unwrap().clone();
    for report in reports {
        assert_eq!(report.unwrap(), first);
    }
    assert_eq!(script.starts.load(SeqCst), 4);
    bounded("shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap();
    assert_eq!(script.log().iter().filter(|l| l.ends_with(" stopped")).count(), 4, "each stopped once");
}

/// A `start()` dropped half-way: what it started is stopped by the shutdown; what it had not, is
/// not; and `ready()` waiters learn that the shutdown began.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_dropped_half_way_leaves_nothing_running_after_the_shutdown() {
    let (app, script) = app();
    *script.start_ms.lock().unwrap() = vec![("Relay", 60_000), ("Digest", 60_000)];
    let waiting = tokio::spawn({
        let app = app.clone();
        async move { app.ready().await }
    });
    let start = tokio::spawn({
        let app = app.clone();
        async move { app.start().await }
    });
    support::eventually("Broker and Mailer started", || script.log().len() == 2).await;
    start.abort();
    assert!(start.await.unwrap_err().is_cancelled());
    bounded("shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap();
    let mut stopped: Vec<_> = script.log().into_iter().filter(|l| l.ends_with(" stopped")).collect();
    stopped.sort();
    assert_eq!(stopped, ["Broker stopped", "Mailer stopped"]);
    assert!(!bounded("the ready waiter", waiting).await.unwrap(), "the shutdown began before it was ready");
}

/// A `start()` whose `Relay` takes 300 ms to start, and a shutdown with `deadline` once the others
/// have started: the start fails as shutting down; the script and the shutdown's result.
async fn shutdown_during_a_slow_start(deadline: Duration) -> (Arc<Script>, Result<(), injectq::DisposeError>) {
    let (app, script) = app();
    *script.start_ms.lock().unwrap() = vec![("Relay", 300)];
    script.meet_at_stop.store(false, SeqCst);
    let start = tokio::spawn({
        let app = app.clone();
        async move { app.start().await }
    });
    support::eventually("all but Relay started", || script.log().len() == 3).await;
    let shutdown = bounded("shutdown", app.shutdown(deadline)).await;
    let started = bounded("start", start).await.unwrap();
    assert_eq!(started.unwrap_err().kind(), ErrorKind::ShuttingDown);
    (script, shutdown)
}

/// A shutdown that begins while `start()` is still starting a service waits for that start, then
/// stops everything in order before disposing; the start fails as shutting down.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_finishes_starting_during_the_shutdown_is_stopped_too() {
    let (script, shutdown) = shutdown_during_a_slow_start(Duration::from_secs(5)).await;
    shutdown.unwrap();
    let log = script.log();
    for name in ["Broker", "Mailer", "Relay", "Digest"] {
        assert!(log.contains(&format!("{name} started")), "{log:?}");
        assert!(log.contains(&format!("{name} stopped")), "{name} was left running: {log:?}");
    }
    // the shutdown waited for the start: Relay stopped before Broker, which it depends on, and
    // everything before the database was disposed
    assert!(script.position("Relay stopped") < script.position("Broker stopped"), "{log:?}");
    assert_eq!(log.last().map(String::as_str), Some("Db disposed"), "{log:?}");
}

/// A start that outlasts the shutdown's deadline: the shutdown goes on without it, and the service
/// that finishes starting afterwards is stopped by the start itself; nothing is left running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_finishes_starting_after_the_shutdown_gave_up_is_stopped_by_its_start() {
    let (script, _) = shutdown_during_a_slow_start(Duration::from_millis(50)).await;
    let log = script.log();
    assert!(log.contains(&"Relay started".to_owned()) && log.contains(&"Relay stopped".to_owned()), "{log:?}");
    assert_eq!(log.iter().filter(|l| l.ends_with(" stopped")).count(), 4, "{log:?}");
}
