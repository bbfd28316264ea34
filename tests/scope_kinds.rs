//! Several kinds of scope in one container: requests with their caller, jobs with their payload.
//! Each kind has its own inputs and scoped services and is opened by its own call; what every
//! kind needs (singletons, values, top-level transients) is declared once and shared; each
//! kind's scopes are disposed with their own services, and `shutdown` waits for every kind.
//! The mistakes (a service of one kind needed by another) are compile errors: tests/ui.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, Lazy, Outcome, Scope, ScopeFactory, container, injectable};
use support::bounded;

mod support;

/// Who is asking: a request scope's input.
pub struct Caller(pub String);

/// What a job is about: a job scope's input.
pub struct Job(pub u64);

/// What each test's services did.
#[derive(Default)]
pub struct Log {
    created: AtomicUsize,
    disposed: Mutex<Vec<String>>,
}

/// Shared by every kind of scope.
#[injectable]
pub struct Pool {
    log: Arc<Log>,
}

/// A transient that every kind builds.
#[injectable]
pub struct Clock;

/// A request's greeting: request-scoped.
#[injectable(dispose)]
pub struct Greeting {
    caller: Arc<Caller>,
    pool: Arc<Pool>,
}

impl AsyncDispose for Greeting {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        self.pool.log.disposed.lock().unwrap().push(format!("greeting {} {outcome}", self.caller.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A job's unit of work: job-scoped, created once per job.
#[injectable(init = Self::begin, dispose)]
pub struct UnitOfWork {
    job: Arc<Job>,
    pool: Arc<Pool>,
}

impl UnitOfWork {
    async fn begin(&mut self) {
        self.pool.log.created.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl AsyncDispose for UnitOfWork {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        tokio::time::sleep(Duration::from_millis(2)).await;
        self.pool.log.disposed.lock().unwrap().push(format!("job {} {outcome}", self.job.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A step of a job: a transient declared in the job kind, built from its scope.
#[injectable]
pub struct Step {
    work: Arc<UnitOfWork>,
    clock: Clock,
}

/// A worker that opens job scopes.
#[injectable]
pub struct Worker {
    jobs: ScopeFactory<App, JobScope>,
}

container! {
    pub struct App {
        value Log;
        singleton Pool;
        singleton Worker;
        transient Clock;
        input Caller;
        scoped Greeting;

        /// A job's scope: its payload, and its unit of work.
        scope JobScope {
            input Job;
            scoped UnitOfWork;
            transient Step;
        }
    }
}

fn app() -> (App, Arc<Log>) {
    let log = Arc::new(Log::default());
    (App::new(Arc::clone(&log)), log)
}

#[tokio::test]
async fn each_kind_is_opened_by_its_own_call_with_its_own_inputs_and_shares_the_singletons() {
    let (app, log) = app();
    let request = app.create_scope_with(Caller("ada".into()));
    let job = app.create_job_scope_with(Job(7));
    let greeting = request.resolve::<Arc<Greeting>>().await.unwrap();
    let work = job.resolve::<Arc<UnitOfWork>>().await.unwrap();
    assert_eq!((greeting.caller.0.as_str(), work.job.0), ("ada", 7));
    assert!(Arc::ptr_eq(&greeting.pool, &work.pool), "one singleton for every kind");
    assert!(Arc::ptr_eq(&work, &job.resolve::<Arc<UnitOfWork>>().await.unwrap()), "one per job scope");

    // a transient of the container is built in every kind; one of the job kind in its scopes
    let _: Clock = request.resolve().await.unwrap();
    let _: Clock = job.resolve().await.unwrap();
    let step: Step = job.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&step.work, &work), "the step is built in its job's scope");
    let _ = step.clock;

    // each kind's `Lazy`, and its current scope
    let lazy = job.resolve::<Lazy<UnitOfWork>>().await.unwrap();
    assert!(Arc::ptr_eq(&lazy.get().await.unwrap(), &work));
    let current = job.enter(async { JobScope::current().unwrap().resolve::<Arc<Job>>().await.unwrap().0 }).await;
    assert_eq!(current, 7);

    job.dispose().await.unwrap();
    request.dispose().await.unwrap();
    assert_eq!(*log.disposed.lock().unwrap(), ["job 7 completed", "greeting ada completed"]);
}

#[tokio::test]
async fn with_a_kinds_scope_disposes_it_with_the_works_outcome() {
    let (app, log) = app();
    let seven = app
        .with_job_scope_with(Job(7), |scope| async move {
            Ok::<_, injectq::Error>(scope.resolve::<Arc<UnitOfWork>>().await?.job.0)
        })
        .await
        .unwrap();
    assert_eq!(seven, 7);
    let failed = app
        .with_job_scope_with(Job(8), |scope| async move {
            scope.resolve::<Arc<UnitOfWork>>().await?;
            Err::<(), _>(BoxError::from("the job failed"))
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(*log.disposed.lock().unwrap(), ["job 7 completed", "job 8 failed"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_opens_job_scopes_through_its_scope_factory() {
    let (app, log) = app();
    let worker = app.resolve::<Arc<Worker>>().await.unwrap();
    let jobs: Vec<_> = (0..50)
        .map(|i| {
            let jobs = worker.jobs.clone();
            tokio::spawn(async move {
                let scope = jobs.create_scope_with(Job(i)).unwrap();
                let work = scope.resolve::<Arc<UnitOfWork>>().await.unwrap();
                assert_eq!(work.job.0, i);
                scope.dispose().await.unwrap();
            })
        })
        .collect();
    bounded("the jobs", futures_util::future::join_all(jobs)).await.into_iter().for_each(|job| job.unwrap());
    assert_eq!(log.created.load(SeqCst), 50);
    assert_eq!(log.disposed.lock().unwrap().len(), 50);
    app.dispose().await.unwrap();
    let refused = worker.jobs.create_scope_with(Job(99)).unwrap_err();
    assert_eq!(refused.kind(), injectq::ErrorKind::Disposed, "{refused}");
}

/// Requests and jobs at once, on several threads: every scope of each kind creates its own
/// services once and disposes them once, and `shutdown` waits for the scopes of every kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_scopes_of_two_kinds_each_dispose_once_and_shutdown_waits_for_both() {
    let (app, log) = app();
    let tasks: Vec<_> = (0..200u64)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    let job = app.create_job_scope_with(Job(i));
                    let (a, b) = tokio::join!(job.resolve::<Arc<UnitOfWork>>(), job.resolve::<Arc<UnitOfWork>>());
                    assert!(Arc::ptr_eq(&a.unwrap(), &b.unwrap()), "a job's unit of work is created once");
                    // left open: the shutdown must wait for it
                    job.dispose_in_background(Outcome::Completed);
                } else {
                    let request = app.create_scope_with(Caller(format!("user{i}")));
                    request.resolve::<Arc<Greeting>>().await.unwrap();
                    request.dispose().await.unwrap();
                }
            })
        })
        .collect();
    for task in bounded("the scopes", futures_util::future::join_all(tasks)).await {
        task.unwrap();
    }
    bounded("shutdown", app.shutdown(Duration::from_secs(10))).await.unwrap();
    assert_eq!(log.created.load(SeqCst), 100, "one unit of work per job");
    let disposed = log.disposed.lock().unwrap();
    assert_eq!(disposed.iter().filter(|d| d.starts_with("job ")).count(), 100);
    assert_eq!(disposed.iter().filter(|d| d.starts_with("greeting ")).count(), 100);
}
