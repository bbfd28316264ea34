//! The edges of the lifecycle: a disposal cancelled half-way, two disposals at once, a parent and
//! its child disposed together, scopes dropped while their runtime shuts down, a `Lazy` awaited
//! inside its own creation, a failed start-up. Each runs many tasks on the multi-thread runtime,
//! counts what happened, and is bounded by a timeout, so that a deadlock fails the test instead
//! of hanging it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, ErrorKind, Lazy, container, factory, injectable};
use support::{Failure, bounded};

mod support;

/// What the disposers of one test saw.
#[derive(Default)]
pub struct Counters {
    disposed: AtomicUsize,
    started: tokio::sync::Notify,
    log: Mutex<Vec<&'static str>>,
}

/// Services whose disposer counts itself in the container's `Counters`, after awaiting
/// `first(&counters)` if given.
macro_rules! counted {
    ($($name:ident),*; first $first:path) => {$(
        #[injectable(dispose)]
        pub struct $name {
            counters: Arc<Counters>,
        }

        impl AsyncDispose for $name {
            async fn dispose(&self) -> Result<(), BoxError> {
                $first(&self.counters).await;
                self.counters.disposed.fetch_add(1, SeqCst);
                Ok(())
            }
        }
    )*};
    ($($name:ident),*) => {
        counted!($($name),*; first crate::at_once);
    };
}

/// Nothing to wait for.
async fn at_once(_: &Counters) {}

mod cancelled_disposal {
    use super::*;

    /// Says it started, then takes 20 ms.
    async fn slowly(counters: &Counters) {
        counters.started.notify_one();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    counted!(First, Second, Third; first slowly);

    container! {
        pub struct App {
            value Counters;
            scoped First;
            scoped Second;
            scoped Third;
        }
    }

    async fn scope_with_three(app: &App) -> AppScope {
        let scope = app.create_scope();
        scope.resolve::<Arc<First>>().await.unwrap();
        scope.resolve::<Arc<Second>>().await.unwrap();
        scope.resolve::<Arc<Third>>().await.unwrap();
        scope
    }

    pub const SCOPES: usize = 50;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dispose_cut_short_by_a_timeout_still_disposes_everything() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        bounded("cancelled disposals", async {
            let tasks: Vec<_> = (0..SCOPES)
                .map(|_| {
                    let app = app.clone();
                    tokio::spawn(async move {
                        let scope = scope_with_three(&app).await;
                        // the first disposer takes 20 ms: the caller gives up after 5
                        let cut = tokio::time::timeout(Duration::from_millis(5), scope.dispose()).await;
                        assert!(cut.is_err(), "the disposal was cut short");
                        // the disposal goes on without its caller; a second call waits for it
                        scope.dispose().await
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("no panic").expect("disposed cleanly");
            }
        })
        .await;
        assert_eq!(counters.disposed.load(SeqCst), 3 * SCOPES, "every disposer ran, none was lost");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_concurrent_dispose_returns_only_once_disposal_is_done() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        bounded("concurrent disposals", async {
            for round in 1..=10 {
                let scope = scope_with_three(&app).await;
                let first = tokio::spawn({
                    let scope = scope.clone();
                    async move { scope.dispose().await }
                });
                counters.started.notified().await; // the first disposer is running
                let others: Vec<_> = (0..8)
                    .map(|_| {
                        let (scope, counters) = (scope.clone(), Arc::clone(&counters));
                        tokio::spawn(async move {
                            let outcome = scope.dispose().await;
                            (outcome, counters.disposed.load(SeqCst))
                        })
                    })
                    .collect();
                for other in others {
                    let (outcome, seen) = other.await.expect("no panic");
                    outcome.expect("the first call's outcome");
                    assert_eq!(seen, 3 * round, "a second dispose() returned before disposal was done");
                }
                first.await.expect("no panic").expect("disposed cleanly");
            }
        })
        .await;
    }
}

mod parent_and_child {
    use super::*;

    /// The parent's service, which the child's service uses while it is disposed.
    #[injectable(dispose)]
    pub struct Database {
        counters: Arc<Counters>,
        #[inject(default)]
        closed: AtomicBool,
    }

    impl AsyncDispose for Database {
        async fn dispose(&self) -> Result<(), BoxError> {
            self.closed.store(true, SeqCst);
            self.counters.log.lock().unwrap().push("close Database");
            Ok(())
        }
    }

    #[injectable(dispose)]
    pub struct AuditLog {
        counters: Arc<Counters>,
        database: Arc<Database>,
    }

    impl AsyncDispose for AuditLog {
        async fn dispose(&self) -> Result<(), BoxError> {
            self.counters.started.notify_one();
            tokio::time::sleep(Duration::from_millis(10)).await;
            // flushing needs the parent's database, still open
            let entry =
                if self.database.closed.load(SeqCst) { "flush AuditLog: database closed" } else { "flush AuditLog" };
            self.counters.log.lock().unwrap().push(entry);
            Ok(())
        }
    }

    container! {
        pub struct App {
            value Counters;
            singleton Database;

            child pub struct Admin {
                singleton AuditLog;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_child_finishes_before_the_parent_whoever_calls() {
        bounded("parent and child disposals", async {
            for _ in 0..20 {
                let counters = Arc::new(Counters::default());
                let app = App::new(Arc::clone(&counters));
                let admin = Admin::new(&app);
                admin.resolve::<Arc<AuditLog>>().await.unwrap();
                let first = tokio::spawn({
                    let app = app.clone();
                    async move { app.dispose().await }
                });
                counters.started.notified().await; // the child is being disposed
                let second = tokio::spawn({
                    let app = app.clone();
                    async move { app.dispose().await }
                });
                first.await.unwrap().unwrap();
                second.await.unwrap().unwrap();
                assert_eq!(*counters.log.lock().unwrap(), ["flush AuditLog", "close Database"]);
            }
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_parent_forgets_the_children_that_are_gone() {
        let app = App::new(Counters::default());
        for i in 0..100 {
            let admin = Admin::new(&app);
            admin.resolve::<Arc<AuditLog>>().await.unwrap();
            if i % 2 == 0 {
                admin.dispose().await.unwrap();
            } // else dropped, and disposed in the background
        }
        bounded("the dropped children's disposals", async {
            while !format!("{app:?}").contains("children: 0") {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
        .await;
        assert_eq!(format!("{app:?}"), r#"App { bag: DisposeBag { phase: "open", disposers: 1, children: 0 }, .. }"#);
    }
}

mod runtime_shutdown {
    use super::*;

    counted!(Connection);

    container! {
        pub struct App {
            value Counters;
            scoped Connection;
        }
    }

    pub const TASKS: usize = 20;

    /// Tasks that each hold a scope with a connection, and never finish.
    async fn hold_scopes(app: &App) {
        let opened = Arc::new(tokio::sync::Semaphore::new(0));
        for _ in 0..TASKS {
            let (app, opened) = (app.clone(), Arc::clone(&opened));
            tokio::spawn(async move {
                let scope = app.create_scope();
                scope.resolve::<Arc<Connection>>().await.unwrap();
                opened.add_permits(1);
                std::future::pending::<()>().await;
            });
        }
        let _all = opened.acquire_many(TASKS as u32).await.unwrap();
    }

    #[test]
    fn scopes_dropped_as_their_runtime_shuts_down_are_disposed_by_the_container() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        let first = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        first.block_on(hold_scopes(&app));
        // shutting down drops the tasks, and with them their scopes: too late to run anything there
        drop(first);
        let second = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        second.block_on(bounded("the container's disposal", app.dispose())).unwrap();
        assert_eq!(counters.disposed.load(SeqCst), TASKS, "every dropped scope's connection was disposed");
    }
}

mod lazy_reentrance {
    use super::*;

    static SEEN: Mutex<Vec<ErrorKind>> = Mutex::new(Vec::new());

    #[injectable]
    pub struct Hub {
        spoke: Lazy<Spoke>,
    }

    /// Its init hook awaits the very `Lazy` that is creating it.
    #[injectable(init = reenter)]
    pub struct Spoke {
        hub: Arc<Hub>,
    }

    impl Spoke {
        async fn reenter(&mut self) -> Result<(), injectq::Error> {
            let inner = self.hub.spoke.get().await.map(drop);
            if let Err(e) = &inner {
                SEEN.lock().unwrap().push(e.kind());
            }
            inner
        }
    }

    container! {
        pub struct App {
            singleton Hub;
            singleton Spoke;
        }
    }

    pub const TASKS: usize = 16;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn re_entering_a_lazy_is_a_cycle_error_and_the_lazy_stays_usable() {
        let app = App::new();
        let hub = app.resolve::<Arc<Hub>>().await.unwrap();
        bounded("re-entered Lazy", async {
            for _ in 0..3 {
                let tasks: Vec<_> = (0..TASKS)
                    .map(|_| {
                        let hub = Arc::clone(&hub);
                        tokio::spawn(async move { hub.spoke.get().await.map(drop) })
                    })
                    .collect();
                for task in tasks {
                    let err = task.await.expect("no panic").expect_err("a cycle cannot be built");
                    assert_eq!(err.kind(), ErrorKind::Init);
                    let cause = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<injectq::Error>());
                    assert_eq!(cause.map(injectq::Error::kind), Some(ErrorKind::Cycle), "{err}");
                }
            }
        })
        .await;
        let seen = SEEN.lock().unwrap();
        assert!(!seen.is_empty() && seen.iter().all(|k| *k == ErrorKind::Cycle), "{seen:?}");
    }
}

mod failed_start {
    use super::*;

    static BROKER_ATTEMPTS: AtomicUsize = AtomicUsize::new(0);

    counted!(Pool);

    #[injectable]
    pub struct Metrics;

    pub struct Broker;

    /// Unreachable at the first attempt, reachable afterwards.
    #[factory]
    async fn connect_broker() -> Result<Broker, Failure> {
        tokio::time::sleep(Duration::from_millis(5)).await;
        match BROKER_ATTEMPTS.fetch_add(1, SeqCst) {
            0 => Err(Failure("broker unreachable")),
            _ => Ok(Broker),
        }
    }

    container! {
        pub struct App {
            value Counters;
            singleton Pool;
            singleton Metrics;
            singleton Broker = connect_broker;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_start_leaves_the_container_usable_and_a_second_start_finishes_it() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        bounded("start-up", async {
            let err = app.start().await.unwrap_err();
            assert_eq!(
                err.to_string(),
                "failed to resolve `Broker`: factory `connect_broker` failed: broker unreachable"
            );
            // nothing was disposed: what was created stays, and unrelated singletons still resolve
            assert_eq!(counters.disposed.load(SeqCst), 0);
            let pool = app.resolve::<Arc<Pool>>().await.expect("the container is usable");
            app.resolve::<Arc<Metrics>>().await.expect("the container is usable");
            // the second start creates only what is missing
            app.start().await.expect("the broker is reachable now");
            assert!(Arc::ptr_eq(&pool, &app.resolve::<Arc<Pool>>().await.unwrap()), "the pool was kept");
            assert_eq!(BROKER_ATTEMPTS.load(SeqCst), 2);
            app.dispose().await.unwrap();
            assert_eq!(counters.disposed.load(SeqCst), 1, "the pool is disposed once, with the container");
        })
        .await;
    }
}

mod spawned_self_resolve {
    use super::*;
    use injectq::Provider;

    static INITS: AtomicUsize = AtomicUsize::new(0);
    static SPAWNED: Mutex<Vec<ErrorKind>> = Mutex::new(Vec::new());

    /// Its init hook awaits a spawned task that resolves `Hub` itself: a wait no chain can see.
    #[injectable(init = wait_for_myself)]
    pub struct Hub {
        me: Provider<Arc<Hub>>,
    }

    impl Hub {
        async fn wait_for_myself(&mut self) -> Result<(), injectq::Error> {
            INITS.fetch_add(1, SeqCst);
            // some work first: the spawned task's own deadline ends well after this creation's
            tokio::time::sleep(Duration::from_millis(40)).await;
            let me = self.me.clone();
            let spawned = tokio::spawn(async move {
                let resolved = me.get().await.map(drop);
                SPAWNED.lock().unwrap().push(resolved.as_ref().err().map_or(ErrorKind::Factory, injectq::Error::kind));
                resolved
            });
            spawned.await.expect("no panic")
        }
    }

    container! {
        pub struct App {
            singleton Hub;
        }
    }

    // on tokio's paused clock: the spawned task starts waiting 40 ms into the creation, whatever
    // the machine's load (on the wall clock, a task started late found the creation already
    // timed out, and started it again)
    #[tokio::test(start_paused = true)]
    async fn a_creation_waiting_on_a_task_that_waits_for_it_ends_at_its_deadline() {
        let app = App::new();
        app.set_create_timeout(Duration::from_millis(100));
        let err = bounded("the creation", app.resolve::<Arc<Hub>>()).await.err().expect("it cannot be created");
        assert_eq!(err.kind(), ErrorKind::Timeout);
        assert_eq!(
            err.to_string(),
            "failed to resolve `Hub`: `Hub` was not created within 100ms (the container's create timeout)"
        );
        // the spawned task was waiting for that creation: it fails too, instead of starting over
        bounded("the spawned task", async {
            while SPAWNED.lock().unwrap().is_empty() {
                tokio::task::yield_now().await;
            }
        })
        .await;
        assert_eq!(*SPAWNED.lock().unwrap(), [ErrorKind::Timeout]);
        assert_eq!(INITS.load(SeqCst), 1, "nothing started the doomed creation again");
    }
}

mod deadlines {
    use super::*;

    /// Never finishes disposing.
    #[injectable(dispose)]
    pub struct Hung;

    impl AsyncDispose for Hung {
        async fn dispose(&self) -> Result<(), BoxError> {
            std::future::pending().await
        }
    }

    /// Takes 30 ms, and says it may.
    #[injectable(dispose)]
    pub struct Patient {
        counters: Arc<Counters>,
    }

    impl AsyncDispose for Patient {
        async fn dispose(&self) -> Result<(), BoxError> {
            tokio::time::sleep(Duration::from_millis(30)).await;
            self.counters.log.lock().unwrap().push("Patient");
            Ok(())
        }

        fn dispose_timeout(&self) -> Option<Duration> {
            Some(Duration::from_secs(10))
        }
    }

    #[injectable(dispose)]
    pub struct Quick {
        counters: Arc<Counters>,
    }

    impl AsyncDispose for Quick {
        async fn dispose(&self) -> Result<(), BoxError> {
            self.counters.log.lock().unwrap().push("Quick");
            Ok(())
        }
    }

    container! {
        pub struct App {
            value Counters;
            scoped Quick;
            scoped Hung;
            scoped Patient;
        }
    }

    pub const SCOPES: usize = 20;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hung_disposer_is_abandoned_at_the_deadline_and_the_others_still_run() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        app.set_dispose_timeout(Duration::from_millis(10));
        let tasks: Vec<_> = (0..SCOPES)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move {
                    let scope = app.create_scope();
                    scope.resolve::<Arc<Quick>>().await.unwrap();
                    scope.resolve::<Arc<Hung>>().await.unwrap();
                    scope.resolve::<Arc<Patient>>().await.unwrap();
                    scope.dispose().await
                })
            })
            .collect();
        for task in tasks {
            let err = bounded("a disposal with a hung disposer", task).await.unwrap().unwrap_err();
            assert_eq!(err.failures().len(), 1, "{err}");
            assert_eq!(err.failures()[0].service(), "Hung");
            assert!(err.failures()[0].timed_out());
            assert_eq!(
                err.to_string(),
                "disposing `AppScope`: 1 disposer failed; `Hung` did not finish within 10ms and was abandoned"
            );
        }
        let log = counters.log.lock().unwrap();
        // the patient one took longer than the container's deadline, within its own
        assert_eq!(log.iter().filter(|l| **l == "Patient").count(), SCOPES);
        assert_eq!(log.iter().filter(|l| **l == "Quick").count(), SCOPES);
    }
}

/// A deadline on a runtime without timers (`enable_time` not called): each disposer that has
/// one fails on its own, its panic reported like any other, and the others still run; nothing
/// panics through `dispose()`.
mod deadline_without_timers {
    use super::deadlines::{App, Quick};
    use super::*;

    #[test]
    fn each_disposer_with_a_deadline_fails_on_its_own_and_dispose_returns() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let counters = Arc::new(Counters::default());
        runtime.block_on(async {
            let app = App::new(Arc::clone(&counters));
            app.set_dispose_timeout(Duration::from_millis(10));
            let scope = app.create_scope();
            scope.resolve::<Arc<Quick>>().await.unwrap();
            let error = scope.dispose().await.expect_err("no timer to bound it with");
            assert_eq!(error.failures().len(), 1, "{error}");
            assert_eq!(error.failures()[0].service(), "Quick");
            assert!(error.to_string().contains("timers are disabled"), "{error}");
        });
    }
}

mod with_scope_outcomes {
    use super::*;
    use injectq::Outcome;

    #[derive(Default)]
    pub struct Seen(Mutex<Vec<Outcome>>);

    #[injectable(dispose)]
    pub struct Work {
        seen: Arc<Seen>,
    }

    impl AsyncDispose for Work {
        async fn dispose(&self) -> Result<(), BoxError> {
            unreachable!("the container calls dispose_after")
        }

        async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
            self.seen.0.lock().unwrap().push(outcome);
            Ok(())
        }
    }

    container! {
        pub struct App {
            value Seen;
            scoped Work;
        }
    }

    async fn last(seen: &Seen, count: usize) -> Outcome {
        bounded("the disposal", async {
            while seen.0.lock().unwrap().len() < count {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
        .await;
        *seen.0.lock().unwrap().last().unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_body_ok_err_panic_or_cancellation_is_what_the_disposers_see() {
        let seen = Arc::new(Seen::default());
        let app = App::new(Arc::clone(&seen));

        let ok = app.with_scope(|s| async move { s.resolve::<Arc<Work>>().await.map(drop) }).await;
        assert!(ok.is_ok());
        assert_eq!(last(&seen, 1).await, Outcome::Completed);

        let failed = app
            .with_scope(|s| async move {
                s.resolve::<Arc<Work>>().await?;
                Err::<(), _>(BoxError::from("invalid order"))
            })
            .await;
        assert_eq!(failed.unwrap_err().to_string(), "invalid order");
        assert_eq!(last(&seen, 2).await, Outcome::Failed);

        let a = app.clone();
        let panicked = tokio::spawn(async move {
            a.with_scope(|s| async move {
                s.resolve::<Arc<Work>>().await?;
                panic!("bug in the job");
                #[allow(unreachable_code)]
                Ok::<(), injectq::Error>(())
            })
            .await
        })
        .await;
        assert!(panicked.expect_err("the panic goes on after disposal").is_panic());
        assert_eq!(last(&seen, 3).await, Outcome::Panicked);

        let (started, resolved) = tokio::sync::oneshot::channel();
        let cut = tokio::time::timeout(
            Duration::from_millis(20),
            app.with_scope(|s| async move {
                s.resolve::<Arc<Work>>().await?;
                let _ = started.send(());
                std::future::pending::<Result<(), injectq::Error>>().await
            }),
        );
        assert!(cut.await.is_err());
        resolved.await.expect("the work began");
        assert_eq!(last(&seen, 4).await, Outcome::Cancelled);

        // a worse outcome reported by the work itself wins over its `Ok`
        let reported = app
            .with_scope(|s| async move {
                s.resolve::<Arc<Work>>().await?;
                s.set_outcome(Outcome::Failed);
                Ok::<_, injectq::Error>(())
            })
            .await;
        assert!(reported.is_ok());
        assert_eq!(last(&seen, 5).await, Outcome::Failed);
    }

    /// A disposal's future does not borrow its scope: the scope may be dropped before the future
    /// runs (spawned, or polled later), and the disposers still see the outcome asked for, not a
    /// cancellation; the future returns the disposal's result.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dispose_future_outlives_its_scope_handle() {
        let seen = Arc::new(Seen::default());
        let app = App::new(Arc::clone(&seen));

        let scope = app.create_scope();
        scope.resolve::<Arc<Work>>().await.unwrap();
        let disposal = scope.dispose_as(Outcome::Failed);
        drop(scope);
        bounded("the disposal", disposal).await.unwrap();
        assert_eq!(last(&seen, 1).await, Outcome::Failed, "as asked, not as a dropped scope");

        let scope = app.create_scope();
        scope.resolve::<Arc<Work>>().await.unwrap();
        let spawned = tokio::spawn(scope.dispose());
        drop(scope);
        bounded("the disposal", spawned).await.unwrap().unwrap();
        assert_eq!(last(&seen, 2).await, Outcome::Completed);

        // a scope dropped with no `dispose()` is still a cancelled one
        let scope = app.create_scope();
        scope.resolve::<Arc<Work>>().await.unwrap();
        drop(scope);
        assert_eq!(last(&seen, 3).await, Outcome::Cancelled);
        assert_eq!(seen.0.lock().unwrap().len(), 3, "each scope disposed once");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_scope_entered_in_a_spawned_task_is_its_current_scope() {
        let app = App::new(Seen::default());
        let scope = app.create_scope();
        let work = scope.resolve::<Arc<Work>>().await.unwrap();
        // the future owns its handle to the scope: it can be spawned
        let current =
            tokio::spawn(scope.enter(async { AppScope::current().unwrap().resolve::<Arc<Work>>().await.unwrap() }));
        assert!(Arc::ptr_eq(&work, &current.await.unwrap()));
    }
}

mod workers {
    use super::*;
    use injectq::ScopeFactory;

    #[injectable]
    pub struct Job;

    /// A singleton that opens a scope per job.
    #[injectable]
    pub struct Worker {
        scopes: ScopeFactory<App>,
    }

    container! {
        pub struct App {
            singleton Worker;
            scoped Job;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_scope_factory_opens_scopes_until_its_container_shuts_down_or_goes() {
        let app = App::new();
        let worker = app.resolve::<Arc<Worker>>().await.unwrap();
        let scope = worker.scopes.create_scope().expect("the container is running");
        let job = scope.resolve::<Arc<Job>>().await.unwrap();
        assert!(!Arc::ptr_eq(&job, &worker.scopes.create_scope().unwrap().resolve::<Arc<Job>>().await.unwrap()));
        // the open scope holds the shutdown back; meanwhile no new scope is opened
        let shutdown = tokio::spawn({
            let app = app.clone();
            async move { app.shutdown(Duration::from_secs(20)).await }
        });
        bounded("the shutdown begins", async {
            while worker.scopes.create_scope().is_ok() {
                tokio::task::yield_now().await;
            }
        })
        .await;
        assert_eq!(worker.scopes.create_scope().unwrap_err().kind(), ErrorKind::ShuttingDown);
        scope.dispose().await.unwrap();
        bounded("the shutdown", shutdown).await.unwrap().unwrap();
        // shut down, it says so from then on (a request still arriving is answered 503)
        assert_eq!(worker.scopes.create_scope().unwrap_err().kind(), ErrorKind::ShuttingDown);
        let scopes = worker.scopes.clone();
        drop((worker, app, scope, job));
        assert_eq!(
            scopes.create_scope().unwrap_err().kind(),
            ErrorKind::ContainerDropped,
            "it did not keep the container"
        );
    }
}

mod reentrant_disposal {
    use super::*;

    // created before the handler, so disposed after it
    counted!(Supervisor);

    container! {
        pub struct App {
            value Counters;
            singleton Supervisor;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_disposer_that_disposes_its_own_container_gets_an_error_not_a_deadlock() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        app.resolve::<Arc<Supervisor>>().await.unwrap();
        let inner = Arc::new(Mutex::new(None));
        let (a, seen) = (app.clone(), Arc::clone(&inner));
        app.on_dispose(move || async move {
            let again = a.dispose().await;
            *seen.lock().unwrap() = Some(again.map_err(|e| e.to_string()));
            Ok::<_, BoxError>(())
        })
        .unwrap();
        bounded("a re-entrant disposal", app.dispose()).await.unwrap();
        let inner = inner.lock().unwrap().clone().expect("the handler ran");
        assert_eq!(
            inner.unwrap_err(),
            "disposing `App`: 1 disposer failed; `App`: `dispose()` was called from one of its own disposers, which the disposal is waiting for"
        );
        assert_eq!(counters.disposed.load(SeqCst), 1, "the disposal went on after it");
    }
}

/// A container's disposal disposes its open scopes and child containers concurrently, then its
/// own services: with 20 scopes each of whose disposers takes 100 ms, a shutdown with a 10 ms
/// deadline takes about 10 + 100 ms, not 20 × 100 ms. Measured on tokio's paused clock, which
/// advances exactly by the sleeps that ran one after another.
mod concurrent_children {
    use super::*;

    async fn slowly(_: &Counters) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    counted!(Transaction, Report; first crate::concurrent_children::slowly);
    counted!(Pool);

    container! {
        pub struct App {
            value Counters;
            singleton Pool;
            scoped Transaction;

            child pub struct Reporting {
                singleton Report;
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn shutdown_takes_one_disposer_time_not_one_per_open_scope() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        app.resolve::<Arc<Pool>>().await.unwrap();
        let scopes: Vec<_> = (0..20).map(|_| app.create_scope()).collect();
        for scope in &scopes {
            scope.resolve::<Arc<Transaction>>().await.unwrap();
        }
        let reporting = Reporting::new(&app);
        reporting.resolve::<Arc<Report>>().await.unwrap();
        let started = tokio::time::Instant::now();
        let shut = bounded("the shutdown", app.shutdown(Duration::from_millis(10))).await;
        let took = started.elapsed();
        let error = shut.expect_err("20 scopes were still open at the deadline");
        assert!(error.failures().iter().any(|f| f.scopes_still_open() == Some(20)), "{error}");
        assert_eq!(counters.disposed.load(SeqCst), 22, "20 transactions, the report and the pool");
        assert_eq!(took, Duration::from_millis(110), "10 ms of deadline, then 100 ms for every child at once");
        drop(scopes);
    }

    #[tokio::test(start_paused = true)]
    async fn dispose_too() {
        let counters = Arc::new(Counters::default());
        let app = App::new(Arc::clone(&counters));
        let scopes: Vec<_> = (0..20).map(|_| app.create_scope()).collect();
        for scope in &scopes {
            scope.resolve::<Arc<Transaction>>().await.unwrap();
        }
        let started = tokio::time::Instant::now();
        bounded("the disposal", app.dispose()).await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_millis(100));
        assert_eq!(counters.disposed.load(SeqCst), 20);
    }
}
