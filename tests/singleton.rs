//! Singletons: created lazily, exactly once however many tasks ask at the same time, shared by
//! every scope; a failed creation is retried by the next resolve.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use injectq::{ErrorKind, container, factory, injectable};
use support::Failure;

mod support;

static POOLS_CREATED: AtomicUsize = AtomicUsize::new(0);

/// How many of the racing tasks have begun their resolve.
static ARRIVED: AtomicUsize = AtomicUsize::new(0);

/// The racing tasks.
const RACERS: usize = 1000;

pub struct Pool {
    id: usize,
}

#[factory]
async fn open_pool() -> Pool {
    // a barrier: the creation holds on until every racer has begun its resolve, so that they all
    // overlap it, whatever the scheduling
    while ARRIVED.load(SeqCst) < RACERS {
        tokio::task::yield_now().await;
    }
    Pool { id: POOLS_CREATED.fetch_add(1, SeqCst) }
}

static REPOS_CREATED: AtomicUsize = AtomicUsize::new(0);

#[injectable(init = count)]
pub struct Repo {
    pool: Arc<Pool>,
}

impl Repo {
    async fn count(&mut self) -> Result<(), std::convert::Infallible> {
        REPOS_CREATED.fetch_add(1, SeqCst);
        Ok(())
    }
}

container! {
    pub struct App {
        singleton Pool = open_pool;
        singleton Repo;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_first_resolves_create_the_singleton_once() {
    let app = App::new();
    let tasks: Vec<_> = (0..RACERS)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                ARRIVED.fetch_add(1, SeqCst);
                app.resolve::<Arc<Repo>>().await
            })
        })
        .collect();
    let mut repos = Vec::with_capacity(tasks.len());
    tokio::time::timeout(Duration::from_secs(20), async {
        for task in tasks {
            repos.push(task.await.expect("task panicked").expect("resolve failed"));
        }
    })
    .await
    .expect("no deadlock");
    assert_eq!(POOLS_CREATED.load(SeqCst), 1, "the pool factory ran more than once");
    assert_eq!(REPOS_CREATED.load(SeqCst), 1, "the repo was built more than once");
    assert!(repos.iter().all(|r| Arc::ptr_eq(r, &repos[0])), "tasks got different instances");
    assert_eq!(repos[0].pool.id, 0);
}

mod shared_across_scopes {
    use super::*;

    #[injectable]
    pub struct Clock;

    container! {
        pub struct Clocks {
            singleton Clock;
        }
    }

    #[tokio::test]
    async fn every_scope_sees_the_roots_instance() {
        let app = Clocks::new();
        let from_root = app.resolve::<Arc<Clock>>().await.unwrap();
        let s1 = app.create_scope();
        let s2 = app.create_scope();
        assert!(Arc::ptr_eq(&from_root, &s1.resolve::<Arc<Clock>>().await.unwrap()));
        assert!(Arc::ptr_eq(&from_root, &s2.resolve::<Arc<Clock>>().await.unwrap()));
    }

    #[tokio::test]
    async fn two_containers_have_their_own_singletons() {
        let a = Clocks::new().resolve::<Arc<Clock>>().await.unwrap();
        let b = Clocks::new().resolve::<Arc<Clock>>().await.unwrap();
        assert!(!Arc::ptr_eq(&a, &b));
    }
}

mod retry_after_failure {
    use super::*;

    static ATTEMPTS: AtomicUsize = AtomicUsize::new(0);

    pub struct Flaky {
        attempt: usize,
    }

    #[factory]
    async fn connect() -> Result<Flaky, Failure> {
        let attempt = ATTEMPTS.fetch_add(1, SeqCst);
        if attempt == 0 { Err(Failure("connection refused")) } else { Ok(Flaky { attempt }) }
    }

    container! {
        pub struct Retrying {
            singleton Flaky = connect;
        }
    }

    #[tokio::test]
    async fn a_failed_creation_leaves_the_singleton_empty_and_the_next_resolve_retries() {
        let app = Retrying::new();
        let err = app.resolve::<Arc<Flaky>>().await.err().expect("the first attempt fails");
        assert_eq!(err.kind(), ErrorKind::Factory);
        let first = app.resolve::<Arc<Flaky>>().await.expect("the second attempt succeeds");
        assert_eq!(first.attempt, 1);
        let again = app.resolve::<Arc<Flaky>>().await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "once created, it is kept");
        assert_eq!(ATTEMPTS.load(SeqCst), 2);
    }
}

mod cancelled_creation {
    use super::*;

    static STARTED: AtomicUsize = AtomicUsize::new(0);

    pub struct Slow;

    #[factory]
    async fn slow() -> Slow {
        if STARTED.fetch_add(1, SeqCst) == 0 {
            // the first creation never finishes: its resolve is cancelled by a timeout
            std::future::pending::<()>().await;
        }
        Slow
    }

    container! {
        pub struct Cancels {
            singleton Slow = slow;
        }
    }

    #[tokio::test]
    async fn a_cancelled_creation_is_retried_by_the_next_resolve() {
        let app = Cancels::new();
        let timed_out = tokio::time::timeout(Duration::from_millis(20), app.resolve::<Arc<Slow>>()).await;
        assert!(timed_out.is_err(), "the first resolve should still be pending");
        tokio::time::timeout(Duration::from_secs(20), app.resolve::<Arc<Slow>>())
            .await
            .expect("the retry is not stuck behind the cancelled creation")
            .expect("the retry succeeds");
        assert_eq!(STARTED.load(SeqCst), 2);
    }
}
