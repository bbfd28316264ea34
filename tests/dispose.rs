//! Async disposal: what a container or scope created is disposed in reverse creation order, by
//! `dispose().await` or, when a scope is dropped undisposed, on the runtime.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, ErrorKind, container, factory, injectable};
use support::Failure;

mod support;

/// Each test gets its own log: the services write to the one in the container's value.
#[derive(Default)]
pub struct Log(Mutex<Vec<String>>);

impl Log {
    fn push(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[injectable(dispose)]
pub struct Database {
    log: Arc<Log>,
}

impl AsyncDispose for Database {
    async fn dispose(&self) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        self.log.push("close Database");
        Ok(())
    }
}

#[injectable(dispose)]
pub struct Cache {
    log: Arc<Log>,
    _db: Arc<Database>,
}

impl AsyncDispose for Cache {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.push("flush Cache");
        Ok(())
    }
}

#[injectable(dispose)]
pub struct Transaction {
    log: Arc<Log>,
    _db: Arc<Database>,
}

impl AsyncDispose for Transaction {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.push("end Transaction");
        Ok(())
    }
}

/// A foreign type, built by a factory and closed by a hook.
pub struct Socket {
    log: Arc<Log>,
}

#[factory]
fn open_socket(log: Arc<Log>) -> Socket {
    Socket { log }
}

/// A dispose hook that cannot fail returns `()`.
async fn close_socket(socket: &Socket) {
    socket.log.push("close Socket");
}

/// Depends on the transaction, so it is disposed before it.
#[injectable(dispose)]
pub struct Audit {
    log: Arc<Log>,
    _tx: Arc<Transaction>,
}

impl AsyncDispose for Audit {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.push("write Audit");
        Ok(())
    }
}

/// A scoped service whose disposal waits (it yields once) and needs the database.
#[injectable(dispose)]
pub struct Slow {
    log: Arc<Log>,
    _db: Arc<Database>,
}

impl AsyncDispose for Slow {
    async fn dispose(&self) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        self.log.push("stop Slow");
        Ok(())
    }
}

container! {
    pub struct App {
        value Log;
        singleton Database;
        singleton Cache;
        singleton Socket = open_socket, dispose = close_socket;
        scoped Transaction;
        scoped Audit;
        scoped Slow;
    }
}

#[tokio::test]
async fn a_scope_disposes_its_scoped_services_newest_first_and_leaves_singletons() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let scope = app.create_scope();
    scope.resolve::<Arc<Audit>>().await.unwrap(); // creates Database, Transaction, Audit
    scope.dispose().await.unwrap();
    assert_eq!(log.lines(), ["write Audit", "end Transaction"]);
    app.dispose().await.unwrap();
    assert_eq!(log.lines(), ["write Audit", "end Transaction", "close Database"]);
}

#[tokio::test]
async fn the_root_disposes_its_singletons_in_reverse_creation_order() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    app.resolve::<Arc<Socket>>().await.unwrap();
    app.resolve::<Arc<Cache>>().await.unwrap(); // Database is created before Cache
    app.dispose().await.unwrap();
    assert_eq!(log.lines(), ["flush Cache", "close Database", "close Socket"]);
}

#[tokio::test]
async fn disposal_is_idempotent_and_resolving_afterwards_is_an_error() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let scope = app.create_scope();
    scope.resolve::<Arc<Transaction>>().await.unwrap();
    scope.dispose().await.unwrap();
    scope.dispose().await.unwrap();
    assert_eq!(log.lines(), ["end Transaction"], "disposed once");

    let err = scope.resolve::<Arc<Transaction>>().await.err().expect("the scope is disposed");
    assert_eq!(err.kind(), ErrorKind::Disposed);
    assert_eq!(err.to_string(), "failed to resolve: `AppScope` is disposed");

    app.dispose().await.unwrap();
    let err = app.create_scope().resolve::<Arc<Database>>().await.err().expect("the root is disposed");
    assert_eq!(err.to_string(), "failed to resolve: `App` is disposed");
}

#[tokio::test]
async fn handlers_added_at_run_time_run_in_creation_order_with_the_services() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    app.resolve::<Arc<Database>>().await.unwrap();
    let l = Arc::clone(&log);
    app.on_dispose(move || async move {
        l.push("handler");
        Ok::<_, Failure>(())
    })
    .unwrap();
    app.resolve::<Arc<Cache>>().await.unwrap();
    app.dispose().await.unwrap();
    assert_eq!(log.lines(), ["flush Cache", "handler", "close Database"]);
    assert_eq!(app.on_dispose(|| async { Ok::<_, Failure>(()) }).unwrap_err().kind(), ErrorKind::Disposed);
}

#[tokio::test]
async fn every_disposer_runs_and_all_failures_come_back_together() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    app.resolve::<Arc<Cache>>().await.unwrap();
    app.on_dispose(|| async { Err::<(), _>(Failure("disk full")) }).unwrap();
    app.on_dispose(|| async {
        panic!("handler bug");
        #[allow(unreachable_code)]
        Ok::<(), Failure>(())
    })
    .unwrap();
    let err = app.dispose().await.unwrap_err();
    assert_eq!(log.lines(), ["flush Cache", "close Database"], "the services after the failures were disposed");
    assert_eq!(err.failures().len(), 2);
    assert!(err.failures()[0].panicked());
    assert_eq!(err.failures()[1].error().unwrap().to_string(), "disk full");
}

#[tokio::test]
async fn a_dropped_scope_is_disposed_on_the_runtime() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let scope = app.create_scope();
    scope.resolve::<Arc<Audit>>().await.unwrap();
    drop(scope);
    for _ in 0..100 {
        if log.lines().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(log.lines(), ["write Audit", "end Transaction"]);
}

#[tokio::test]
async fn with_scope_runs_the_work_inside_a_current_scope_and_always_disposes_it() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let out = app
        .with_scope(|scope| async move {
            let current = AppScope::current().expect("entered");
            let a = current.resolve::<Arc<Transaction>>().await.unwrap();
            let b = scope.resolve::<Arc<Transaction>>().await.unwrap();
            assert!(Arc::ptr_eq(&a, &b), "the current scope is the scope");
            Ok::<_, injectq::Error>(7)
        })
        .await
        .unwrap();
    assert_eq!(out, 7);
    assert_eq!(log.lines(), ["end Transaction"]);
    assert_eq!(AppScope::current().err().unwrap().kind(), ErrorKind::NoCurrentScope);
}

mod failing_disposal {
    use super::*;

    #[injectable(dispose)]
    pub struct Leaky;

    impl AsyncDispose for Leaky {
        async fn dispose(&self) -> Result<(), BoxError> {
            Err("socket already closed".into())
        }
    }

    container! {
        pub struct Jobs {
            scoped Leaky;
        }
    }

    #[tokio::test]
    async fn with_scope_reports_a_failed_disposal() {
        let err = Jobs::new()
            .with_scope(|scope| async move { scope.resolve::<Arc<Leaky>>().await.map(drop) })
            .await
            .unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::Dispose,
            "the work succeeded: the disposal's error is returned, as an `Error`"
        );
        assert_eq!(err.to_string(), "disposing `JobsScope`: 1 disposer failed; `Leaky`: socket already closed");
    }

    #[tokio::test]
    async fn with_scope_returns_the_work_s_error_when_the_disposal_fails_too() {
        let err = Jobs::new()
            .with_scope(|scope| async move {
                scope.resolve::<Arc<Leaky>>().await?;
                Err::<(), BoxError>("the order is invalid".into())
            })
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "the order is invalid", "the cause, not its consequence");
    }
}

mod disposal_racing_resolves {
    use super::*;

    static CREATED: AtomicUsize = AtomicUsize::new(0);
    static DISPOSED: AtomicUsize = AtomicUsize::new(0);

    #[injectable(dispose, init = slow_start)]
    pub struct Worker;

    impl Worker {
        async fn slow_start(&mut self) -> Result<(), Failure> {
            tokio::time::sleep(Duration::from_millis(1)).await;
            CREATED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    impl AsyncDispose for Worker {
        async fn dispose(&self) -> Result<(), BoxError> {
            DISPOSED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    container! {
        pub struct Pool {
            scoped Worker;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_disposer_is_lost_and_nothing_panics() {
        let app = Pool::new();
        let mut tasks = Vec::new();
        for i in 0..200 {
            let scope = app.create_scope();
            tasks.push(tokio::spawn(async move {
                let resolving = {
                    let scope = scope.clone();
                    tokio::spawn(async move { scope.resolve::<Arc<Worker>>().await.map(drop) })
                };
                if i % 2 == 0 {
                    tokio::task::yield_now().await;
                }
                let disposed = scope.dispose().await;
                (resolving.await.expect("no panic"), disposed)
            }));
        }
        for task in tasks {
            let (resolved, disposed) = task.await.expect("no panic");
            disposed.unwrap();
            if let Err(e) = resolved {
                assert_eq!(e.kind(), ErrorKind::Disposed);
            }
        }
        assert_eq!(CREATED.load(SeqCst), DISPOSED.load(SeqCst), "every worker created was disposed");
    }
}

/// A scope disposed in the background (its end noticed in a `Drop`, as a web layer does) whose
/// disposers do not wait is disposed before `dispose_in_background` returns: newest first, with
/// no task. One that waits (the singleton `Database` yields) is finished on the runtime.
#[tokio::test(flavor = "current_thread")]
async fn a_background_disposal_that_does_not_wait_is_done_at_once() {
    use injectq::{Outcome, Scope};
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let scope = app.create_scope();
    scope.resolve::<Arc<Audit>>().await.unwrap();
    scope.dispose_in_background(Outcome::Completed);
    // no `.await` in between: this single-threaded runtime has run nothing else
    assert_eq!(log.lines(), ["write Audit", "end Transaction"]);
    drop(scope);
    support::bounded("the shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap();
    assert_eq!(log.lines(), ["write Audit", "end Transaction", "close Database"]);
}

/// The same scope with a disposer that waits: handed over to a task, which finishes it; the
/// container's shutdown waits for it.
#[tokio::test(flavor = "current_thread")]
async fn a_background_disposal_that_waits_is_finished_by_a_task() {
    use injectq::{Outcome, Scope};
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let parked = app.create_scope();
    parked.resolve::<Arc<Slow>>().await.unwrap();
    parked.dispose_in_background(Outcome::Completed);
    assert_eq!(log.lines(), Vec::<String>::new(), "it waits at its first poll");
    drop(parked);
    support::bounded("the shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap();
    assert_eq!(log.lines(), ["stop Slow", "close Database"]);
}

/// A scope disposed in the background (its first poll where its end was noticed) while other
/// tasks await its `dispose()`: one disposal, each disposer once, every caller gets its result,
/// whether the disposal finished at that first poll or went on in a task.
mod background_racing_awaited {
    use super::*;
    use injectq::{Outcome, Scope};

    static DISPOSED: AtomicUsize = AtomicUsize::new(0);

    /// Yields a few times when `waits`, else finishes at once.
    #[injectable(dispose)]
    pub struct Session {
        #[inject(default)]
        waits: std::sync::atomic::AtomicBool,
    }

    impl AsyncDispose for Session {
        async fn dispose(&self) -> Result<(), BoxError> {
            if self.waits.load(SeqCst) {
                for _ in 0..3 {
                    tokio::task::yield_now().await;
                }
            }
            DISPOSED.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    container! {
        pub struct Sessions {
            scoped Session;
        }
    }

    pub const SCOPES: usize = 256;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn one_disposal_each_disposer_once_every_caller_answered() {
        let app = Sessions::new();
        let mut tasks = Vec::new();
        for i in 0..SCOPES {
            let scope = app.create_scope();
            let session = scope.resolve::<Arc<Session>>().await.unwrap();
            session.waits.store(i % 2 == 0, SeqCst);
            let awaited: Vec<_> = (0..2)
                .map(|_| {
                    let scope = scope.clone();
                    tokio::spawn(async move { scope.dispose().await })
                })
                .collect();
            tasks.push(tokio::spawn(async move {
                if i % 3 == 0 {
                    tokio::task::yield_now().await;
                }
                scope.dispose_in_background(Outcome::Completed);
                drop(scope);
                for awaited in awaited {
                    awaited.await.expect("no panic").expect("the one disposal's result");
                }
            }));
        }
        for task in tasks {
            support::bounded("a scope's callers", task).await.expect("no panic");
        }
        support::bounded("the shutdown", app.shutdown(Duration::from_secs(10))).await.expect("nothing left open");
        assert_eq!(DISPOSED.load(SeqCst), SCOPES, "each session disposed once, none lost");
    }
}
