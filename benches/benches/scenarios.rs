//! The scenarios, each contender in the same criterion group. Two harnesses side by side:
//!
//! - inside tokio's executor loop (`to_async`): `hand` is the hand-written mirror the others are
//!   divided by;
//! - plain, with no executor (`iter`): `hand_plain` is the plainest code a user would write by
//!   hand (an `Arc` clone, the struct literals), and injectq's async `resolve` is polled once
//!   with a no-op waker (`injectq_poll_once`), beside its `get` (`injectq_get`).
//!
//! `benches/report.py` prints the ratios.
#![recursion_limit = "1024"]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use injectq_benches::graphs::*;
use injectq_benches::poll_once;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn singleton(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("singleton");
    let hand = HandSingleton::default();
    let app = SingletonApp::new();
    rt.block_on(async {
        hand.get().await;
        app.resolve::<Arc<Svc>>().await.unwrap();
    });
    let svc = Arc::new(Svc { n: 7 });
    group.bench_function("hand", |b| b.to_async(&rt).iter(|| async { black_box(Arc::clone(black_box(&svc))) }));
    group.bench_function("injectq", |b| {
        b.to_async(&rt).iter(|| async { black_box(app.resolve::<Arc<Svc>>().await.unwrap()) })
    });
    // plain: no executor
    group.bench_function("hand_plain", |b| b.iter(|| black_box(Arc::clone(black_box(&svc)))));
    // a reference, not a contender: the same guarantees by hand (a lazy tokio `OnceCell`)
    group.bench_function("hand_oncecell", |b| b.iter(|| black_box(poll_once(hand.get()))));
    {
        let _entered = rt.enter();
        group.bench_function("injectq_poll_once", |b| {
            b.iter(|| black_box(poll_once(app.resolve::<Arc<Svc>>()).unwrap()))
        });
    }
    group.bench_function("injectq_get", |b| b.iter(|| black_box(app.get::<Arc<Svc>>().unwrap())));
    // a reference, not a contender: the same through an `async` block that could also fail,
    // polled once (see the transient group)
    let fails = false;
    group.bench_function("hand_async", |b| {
        b.iter(|| {
            let svc = poll_once(async {
                if black_box(fails) {
                    Err(injectq::Error::factory("Svc", "never"))
                } else {
                    injectq::Result::Ok(Arc::clone(&svc))
                }
            });
            black_box(svc.unwrap())
        })
    });
    let nject = nject_singleton::Provider { svc: Arc::new(nject_singleton::Svc { n: 7 }) };
    group.bench_function("nject", |b| {
        b.to_async(&rt).iter(|| async {
            let svc: &Arc<nject_singleton::Svc> = nject.provide();
            black_box(Arc::clone(svc))
        })
    });
    let shaku = shaku_singleton::Module::builder().build();
    group.bench_function("shaku", |b| {
        b.to_async(&rt).iter(|| async {
            let svc: Arc<dyn shaku_singleton::Service> = shaku::HasComponent::resolve(&shaku);
            black_box(svc)
        })
    });
    let dill = dill_singleton::catalog();
    dill.get_one::<dill_singleton::Svc>().unwrap();
    group.bench_function("dill", |b| {
        b.to_async(&rt).iter(|| async { black_box(dill.get_one::<dill_singleton::Svc>().unwrap()) })
    });
    group.finish();
}

fn transient_graph(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("transient16");
    let app = TransientApp::new();
    group.bench_function("hand", |b| b.to_async(&rt).iter(|| async { black_box(black_box(hand_root()).sum()) }));
    group.bench_function("injectq", |b| {
        b.to_async(&rt).iter(|| async { black_box(black_box(app.resolve::<Root>().await.unwrap()).sum()) })
    });
    // plain: no executor
    group.bench_function("hand_plain", |b| b.iter(|| black_box(black_box(hand_root()).sum())));
    {
        let _entered = rt.enter();
        group.bench_function("injectq_poll_once", |b| {
            b.iter(|| black_box(black_box(poll_once(app.resolve::<Root>()).unwrap()).sum()))
        });
    }
    group.bench_function("injectq_get", |b| b.iter(|| black_box(black_box(app.get::<Root>().unwrap()).sum())));
    // a reference, not a contender: the least a fallible async API costs in this harness, the
    // literals returned by an `async` block that could also fail (on a branch the optimiser
    // cannot see through), polled once
    let fails = false;
    group.bench_function("hand_async", |b| {
        b.iter(|| {
            let root = poll_once(async {
                if black_box(fails) {
                    Err(injectq::Error::factory("Root", "never"))
                } else {
                    injectq::Result::Ok(hand_root())
                }
            });
            black_box(black_box(root.unwrap()).sum())
        })
    });
    // a reference, not a contender: the literals returned as a `Result`, as any constructor that
    // can fail returns them
    group.bench_function("hand_result", |b| b.iter(|| black_box(black_box(hand_result().unwrap()).sum())));
    // a reference, not a contender: the same literals handed over by one `.await` of a ready
    // future, the least any async API that returns the graph costs (report.py prints it apart)
    group.bench_function("hand_awaited", |b| {
        b.to_async(&rt).iter(|| async { black_box(black_box(std::future::ready(hand_root()).await).sum()) })
    });
    group.bench_function("nject", |b| {
        b.to_async(&rt).iter(|| async {
            let root: nject_transient::Root = nject_transient::Provider.provide();
            black_box(black_box(root).sum())
        })
    });
    let dill = dill_transient::catalog();
    group.bench_function("dill", |b| {
        b.to_async(&rt).iter(|| async { black_box(black_box(dill.get_one::<dill_transient::Root>().unwrap()).sum()) })
    });
    group.finish();
}

fn scope_cycle(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("scope3");
    let app = ScopeApp::new();
    group.bench_function("hand", |b| {
        b.to_async(&rt).iter(|| async {
            let scope = HandScope::open();
            black_box(scope.session.id + scope.transaction.id + scope.audit.id)
        })
    });
    // not a contender: the same with a scope's guarantees, written by hand (report.py prints it apart)
    let root = Arc::new(HandRoot);
    group.bench_function("hand_shared", |b| {
        b.to_async(&rt).iter(|| async {
            let scope = HandSharedScope::open(&root);
            let (session, transaction, audit) = (scope.session().await, scope.transaction().await, scope.audit().await);
            black_box(session.id + transaction.id + audit.id)
        })
    });
    group.bench_function("injectq", |b| {
        b.to_async(&rt).iter(|| async {
            let scope = app.create_scope();
            let session = scope.resolve::<Arc<Session>>().await.unwrap();
            let transaction = scope.resolve::<Arc<Transaction>>().await.unwrap();
            let audit = scope.resolve::<Arc<Audit>>().await.unwrap();
            let sum = session.id + transaction.id + audit.id;
            scope.dispose().await.unwrap();
            black_box(sum)
        })
    });
    let nject = nject_scope::Provider;
    group.bench_function("nject", |b| {
        b.to_async(&rt).iter(|| async {
            let scope = nject.scope();
            let session: &nject_scope::Session = scope.provide();
            let transaction: &nject_scope::Transaction = scope.provide();
            let audit: &nject_scope::Audit = scope.provide();
            black_box(session.id + transaction.id + audit.id)
        })
    });
    let dill = dill_scope::catalog();
    {
        // what is measured is a scope: one instance per scope, a new one in the next
        let (first, second) = (dill_scope::open(&dill), dill_scope::open(&dill));
        let one = first.get_one::<dill_scope::Session>().unwrap();
        assert!(Arc::ptr_eq(&one, &first.get_one::<dill_scope::Session>().unwrap()));
        assert!(!Arc::ptr_eq(&one, &second.get_one::<dill_scope::Session>().unwrap()));
        assert_eq!(one.id + first.get_one::<dill_scope::Audit>().unwrap().id, 4);
    }
    group.bench_function("dill", |b| {
        b.to_async(&rt).iter(|| async {
            let scope = dill_scope::open(&dill);
            let session = scope.get_one::<dill_scope::Session>().unwrap();
            let transaction = scope.get_one::<dill_scope::Transaction>().unwrap();
            let audit = scope.get_one::<dill_scope::Audit>().unwrap();
            let sum = session.id + transaction.id + audit.id;
            drop(scope);
            black_box(sum)
        })
    });
    group.finish();
}

fn cold_chain(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("cold_chain50");
    group.bench_function("hand", |b| {
        b.to_async(&rt).iter(|| async {
            let chain = hand_chain::HandChain50::default();
            black_box(chain.s00().await);
        })
    });
    group.bench_function("injectq", |b| {
        b.to_async(&rt).iter(|| async {
            let app = singleton_chain::SChain50::new();
            black_box(app.resolve::<Arc<singleton_chain::S00>>().await.unwrap());
        })
    });
    // plain: both are ready at their first poll
    group.bench_function("hand_plain", |b| {
        b.iter(|| {
            let chain = hand_chain::HandChain50::default();
            black_box(poll_once(chain.s00()));
        })
    });
    {
        let _entered = rt.enter();
        group.bench_function("injectq_poll_once", |b| {
            b.iter(|| {
                let app = singleton_chain::SChain50::new();
                black_box(poll_once(app.resolve::<Arc<singleton_chain::S00>>()).unwrap());
            })
        });
    }
    group.bench_function("injectq_get", |b| {
        b.iter(|| {
            let app = singleton_chain::SChain50::new();
            black_box(app.get::<Arc<singleton_chain::S00>>().unwrap());
        })
    });
    group.finish();
}

fn start_up(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("startup10");
    group.sample_size(10).measurement_time(Duration::from_secs(4));
    group.bench_function("hand", |b| b.to_async(&rt).iter(|| async { black_box(hand_start().await) }));
    group.bench_function("injectq", |b| {
        b.to_async(&rt).iter(|| async {
            let app = StartApp::new();
            app.start().await.unwrap();
            black_box(app)
        })
    });
    group.finish();
}

criterion_group!(benches, singleton, transient_graph, scope_cycle, cold_chain, start_up);
criterion_main!(benches);
