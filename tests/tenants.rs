//! Tenants: a scope per key, shared by every request of that key (nested in it), created once
//! under races, bounded by a maximum and an idle time, and disposed when evicted and at shutdown,
//! never while a request that uses it is in flight.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, ErrorKind, Outcome, Tenants, container, injectable};
use support::{bounded, eventually};

mod support;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TenantId(pub u32);

pub struct Caller(pub u32);

/// What the tenants' services did.
#[derive(Default)]
pub struct Log {
    dbs_created: AtomicUsize,
    dbs_disposed: AtomicUsize,
    /// a tenant's database disposed while a request used it, or used after it was disposed
    violations: AtomicUsize,
    disposed: Mutex<Vec<String>>,
}

/// A tenant's database: one per tenant scope.
#[injectable(init = Self::connect, dispose)]
pub struct TenantDb {
    tenant: Arc<TenantId>,
    log: Arc<Log>,
    #[inject(default)]
    in_flight: AtomicUsize,
    #[inject(default)]
    closed: AtomicBool,
}

impl TenantDb {
    async fn connect(&mut self) {
        self.log.dbs_created.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl AsyncDispose for TenantDb {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        if self.in_flight.load(SeqCst) != 0 {
            self.log.violations.fetch_add(1, SeqCst);
        }
        self.closed.store(true, SeqCst);
        self.log.dbs_disposed.fetch_add(1, SeqCst);
        self.log.disposed.lock().unwrap().push(format!("tenant {} {outcome}", self.tenant.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A request's work: uses its tenant's database from its first use to its disposal.
#[injectable(init = Self::begin, dispose)]
pub struct Orders {
    db: Arc<TenantDb>,
    caller: Arc<Caller>,
}

impl Orders {
    async fn begin(&mut self) {
        self.db.in_flight.fetch_add(1, SeqCst);
        if self.db.closed.load(SeqCst) {
            self.db.log.violations.fetch_add(1, SeqCst);
        }
    }
}

impl AsyncDispose for Orders {
    async fn dispose(&self) -> Result<(), BoxError> {
        if self.db.closed.load(SeqCst) {
            self.db.log.violations.fetch_add(1, SeqCst);
        }
        self.db.in_flight.fetch_sub(1, SeqCst);
        Ok(())
    }
}

container! {
    pub struct App {
        value Log;

        scope TenantScope {
            input TenantId;
            scoped TenantDb;

            scope RequestScope {
                input Caller;
                scoped Orders;
            }
        }
    }
}

fn app() -> (App, Arc<Log>) {
    let log = Arc::new(Log::default());
    (App::new(Arc::clone(&log)), log)
}

fn tenants(app: &App) -> Tenants<App, TenantScope> {
    Tenants::of(app).unwrap()
}

fn disposed(log: &Log) -> Vec<String> {
    log.disposed.lock().unwrap().clone()
}

/// Many requests of a few new keys at once, on several threads: one scope, and one database,
/// per key.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_of_a_new_key_at_once_create_its_scope_once() {
    let (app, log) = app();
    let tenants = tenants(&app);
    let start = Arc::new(tokio::sync::Barrier::new(64));
    let tasks: Vec<_> = (0..64u32)
        .map(|i| {
            let (tenants, start) = (tenants.clone(), Arc::clone(&start));
            tokio::spawn(async move {
                start.wait().await;
                let tenant = tenants.get(TenantId(i % 8)).unwrap();
                let request = tenant.create_request_scope_with(Caller(i));
                let orders = request.resolve::<Arc<Orders>>().await.unwrap();
                assert_eq!((orders.db.tenant.0, orders.caller.0), (i % 8, i));
                let db = Arc::clone(&orders.db);
                request.dispose().await.unwrap();
                (i % 8, db)
            })
        })
        .collect();
    let mut by_key: Vec<Option<Arc<TenantDb>>> = vec![None; 8];
    for task in bounded("the requests", futures_util::future::join_all(tasks)).await {
        let (key, db) = task.unwrap();
        match &by_key[key as usize] {
            Some(first) => assert!(Arc::ptr_eq(first, &db), "one database per tenant"),
            None => by_key[key as usize] = Some(db),
        }
    }
    let stats = tenants.stats();
    assert_eq!((stats.opened, stats.live), (8, 8), "one scope per key");
    assert_eq!(log.dbs_created.load(SeqCst), 8);
    drop(by_key);
    bounded("shutdown", app.shutdown(Duration::from_secs(10))).await.unwrap();
    assert_eq!(log.dbs_disposed.load(SeqCst), 8, "each disposed at shutdown");
    assert_eq!(tenants.stats().released_at_close, 8);
}

#[tokio::test]
async fn past_the_maximum_the_least_recently_used_idle_tenants_are_evicted_and_disposed() {
    let (app, log) = app();
    let tenants = tenants(&app).max_tenants(2);
    for key in [1, 2] {
        tenants.get(TenantId(key)).unwrap().resolve::<Arc<TenantDb>>().await.unwrap();
    }
    // 1 is used again: 2 is now the least recently used
    tenants.get(TenantId(1)).unwrap();
    tenants.get(TenantId(3)).unwrap().resolve::<Arc<TenantDb>>().await.unwrap();
    support::eventually("tenant 2 disposed", || log.dbs_disposed.load(SeqCst) == 1).await;
    assert_eq!(disposed(&log), ["tenant 2 completed"], "evicted: disposed as completed");
    assert_eq!(tenants.len(), 2);

    // a tenant in use is not evicted, wherever it is in the order: the maximum waits
    let one = tenants.get(TenantId(1)).unwrap();
    let request = one.create_request_scope_with(Caller(7));
    request.resolve::<Arc<Orders>>().await.unwrap();
    drop(one);
    tenants.get(TenantId(3)).unwrap();
    tenants.get(TenantId(4)).unwrap();
    assert_eq!(tenants.len(), 2, "3 evicted, 1 kept while its request is open: {:?}", tenants.stats());
    support::eventually("tenant 3 disposed", || log.dbs_disposed.load(SeqCst) == 2).await;
    request.dispose().await.unwrap();
    drop(request);
    tenants.get(TenantId(5)).unwrap();
    support::eventually("tenant 1 disposed", || log.dbs_disposed.load(SeqCst) == 3).await;
    assert_eq!(disposed(&log), ["tenant 2 completed", "tenant 3 completed", "tenant 1 completed"]);
    assert_eq!(tenants.stats().evicted, 3, "2, 3 and 1");
    assert_eq!(tenants.len(), 2, "4 and 5");
    assert_eq!(log.violations.load(SeqCst), 0);
}

#[tokio::test(start_paused = true)]
async fn a_tenant_idle_for_the_idle_time_is_evicted_and_one_in_use_is_not() {
    let (app, log) = app();
    let tenants = tenants(&app).idle_after(Duration::from_secs(60));
    tenants.get(TenantId(1)).unwrap().resolve::<Arc<TenantDb>>().await.unwrap();
    let busy = tenants.get(TenantId(2)).unwrap();
    let request = busy.create_request_scope_with(Caller(1));
    request.resolve::<Arc<Orders>>().await.unwrap();
    drop(busy);

    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(tenants.len(), 2, "not idle for long enough yet");
    tokio::time::sleep(Duration::from_secs(60)).await;
    support::eventually("tenant 1 disposed", || log.dbs_disposed.load(SeqCst) == 1).await;
    assert_eq!(tenants.len(), 1, "2 is in use");
    request.dispose().await.unwrap();
    drop(request);
    tokio::time::sleep(Duration::from_secs(30)).await;
    support::eventually("tenant 2 disposed", || log.dbs_disposed.load(SeqCst) == 2).await;
    assert!(tenants.is_empty());
    assert_eq!(disposed(&log), ["tenant 1 completed", "tenant 2 completed"]);

    // a key evicted is opened again on its next use
    tenants.get(TenantId(1)).unwrap().resolve::<Arc<TenantDb>>().await.unwrap();
    assert_eq!(tenants.stats().opened, 3);
    assert_eq!(log.dbs_created.load(SeqCst), 3);
}

/// Eviction under load: 16 keys, room for 4, 400 requests from 8 clients on 4 threads, each
/// holding its tenant's database across awaits. No database is disposed while a request uses it, or used
/// after; every tenant opened is disposed, once, by the end of the shutdown.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eviction_under_load_never_disposes_a_tenant_in_use() {
    let (app, log) = app();
    let tenants = tenants(&app).max_tenants(4);
    // 8 clients at once, 50 requests each: at any time up to 8 tenants are in use, the others idle
    let tasks: Vec<_> = (0..8u32)
        .map(|client| {
            let tenants = tenants.clone();
            tokio::spawn(async move {
                for n in 0..50u32 {
                    let i = client * 50 + n;
                    let tenant = tenants.get(TenantId(i * 7 % 16)).unwrap();
                    let request = tenant.create_request_scope_with(Caller(i));
                    drop(tenant);
                    let orders = request.resolve::<Arc<Orders>>().await.unwrap();
                    for _ in 0..3 {
                        tokio::task::yield_now().await;
                        assert!(!orders.db.closed.load(SeqCst), "a request's tenant was disposed under it");
                    }
                    drop(orders);
                    request.dispose().await.unwrap();
                }
            })
        })
        .collect();
    for task in bounded("the requests", futures_util::future::join_all(tasks)).await {
        task.unwrap();
    }
    bounded("shutdown", app.shutdown(Duration::from_secs(10))).await.unwrap();
    let stats = tenants.stats();
    let (created, disposed) = (log.dbs_created.load(SeqCst), log.dbs_disposed.load(SeqCst));
    println!("tenants: {stats:?}; databases created {created}, disposed {disposed}");
    assert!(stats.evicted > 0, "the load evicted: {stats:?}");
    assert_eq!(stats.opened, stats.evicted + stats.released_at_close, "{stats:?}");
    assert_eq!(created, disposed, "every database created was disposed, once");
    assert_eq!(log.violations.load(SeqCst), 0, "no tenant disposed while in use");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_disposes_idle_tenants_at_once_and_a_busy_one_when_its_request_ends() {
    let (app, log) = app();
    let tenants = tenants(&app);
    tenants.get(TenantId(1)).unwrap().resolve::<Arc<TenantDb>>().await.unwrap();
    let request = tenants.get(TenantId(2)).unwrap().create_request_scope_with(Caller(1));
    request.resolve::<Arc<Orders>>().await.unwrap();

    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown(Duration::from_secs(10)).await }
    });
    support::eventually("the idle tenant disposed", || log.dbs_disposed.load(SeqCst) == 1).await;
    assert_eq!(disposed(&log), ["tenant 1 completed"]);
    let refused = tenants.get(TenantId(3)).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ShuttingDown, "{refused}");
    // the request in flight goes on, with its tenant
    let orders = request.resolve::<Arc<Orders>>().await.unwrap();
    assert!(!orders.db.closed.load(SeqCst));
    drop(orders);
    assert!(!shutdown.is_finished(), "shutdown waits for the request's tenant");
    request.dispose().await.unwrap();
    drop(request);
    bounded("shutdown", shutdown).await.unwrap().unwrap();
    assert_eq!(disposed(&log), ["tenant 1 completed", "tenant 2 completed"]);
    assert_eq!(log.violations.load(SeqCst), 0);
}

#[tokio::test]
async fn a_disposed_container_refuses_tenants() {
    let (app, log) = app();
    let tenants = tenants(&app);
    tenants.get(TenantId(1)).unwrap().resolve::<Arc<TenantDb>>().await.unwrap();
    app.dispose().await.unwrap();
    support::eventually("the tenant disposed", || log.dbs_disposed.load(SeqCst) == 1).await;
    assert!(tenants.is_empty());
    let refused = tenants.get(TenantId(1)).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Disposed, "{refused}");
    let late = Tenants::<App, TenantScope>::of(&app).unwrap_err();
    assert_eq!(late.kind(), ErrorKind::Disposed, "{late}");
}

/// The cache dropped: every tenant is let go of, and disposed as completed once its last request
/// ends, not as a scope dropped by mistake.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_cache_lets_go_of_its_tenants() {
    let (app, log) = app();
    let tenants = tenants(&app);
    tenants.get(TenantId(1)).unwrap().resolve::<Arc<TenantDb>>().await.unwrap();
    let request = tenants.get(TenantId(2)).unwrap().create_request_scope_with(Caller(1));
    request.resolve::<Arc<Orders>>().await.unwrap();
    drop(tenants);
    eventually("the idle tenant disposed", || log.dbs_disposed.load(SeqCst) == 1).await;
    request.dispose().await.unwrap();
    drop(request);
    eventually("the busy tenant disposed", || log.dbs_disposed.load(SeqCst) == 2).await;
    assert_eq!(disposed(&log), ["tenant 1 completed", "tenant 2 completed"]);
    assert_eq!(log.violations.load(SeqCst), 0);
    bounded("shutdown", app.shutdown(Duration::from_secs(5))).await.unwrap();
}
