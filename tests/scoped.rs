//! Scoped services: one per scope, shared within it, created on first use, exactly once even
//! when many tasks of the same scope ask at the same time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use injectq::{container, injectable};

static CONTEXTS: AtomicUsize = AtomicUsize::new(0);

#[injectable(init = number)]
pub struct RequestContext {
    #[inject(default)]
    id: usize,
}

impl RequestContext {
    async fn number(&mut self) -> Result<(), std::convert::Infallible> {
        tokio::task::yield_now().await;
        self.id = CONTEXTS.fetch_add(1, SeqCst);
        Ok(())
    }
}

#[injectable]
pub struct Handler {
    context: Arc<RequestContext>,
}

/// A singleton: what a scope's root shares with the container it was opened from.
#[injectable]
pub struct Clock;

container! {
    pub struct App {
        singleton Clock;
        scoped RequestContext;
        transient Handler;
    }
}

#[tokio::test]
async fn one_instance_per_scope_shared_within_it() {
    let app = App::new();
    let s1 = app.create_scope();
    let s2 = app.create_scope();
    let a = s1.resolve::<Arc<RequestContext>>().await.unwrap();
    let b = s1.resolve::<Arc<RequestContext>>().await.unwrap();
    let c = s2.resolve::<Arc<RequestContext>>().await.unwrap();
    assert!(Arc::ptr_eq(&a, &b), "same scope, same instance");
    assert!(!Arc::ptr_eq(&a, &c), "another scope, another instance");
    assert_ne!(a.id, c.id);

    // a transient built in the scope gets the scope's instance
    let h1: Handler = s1.resolve().await.unwrap();
    let h2: Handler = s1.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&h1.context, &a) && Arc::ptr_eq(&h2.context, &a));
    let h3: Handler = s2.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&h3.context, &c));
}

static UNITS_OF_WORK: AtomicUsize = AtomicUsize::new(0);

#[injectable(init = begin)]
pub struct UnitOfWork;

impl UnitOfWork {
    async fn begin(&mut self) -> Result<(), std::convert::Infallible> {
        tokio::task::yield_now().await; // let the other tasks pile up on the cell
        UNITS_OF_WORK.fetch_add(1, SeqCst);
        Ok(())
    }
}

container! {
    pub struct Jobs {
        scoped UnitOfWork;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_resolves_in_one_scope_create_it_once() {
    let scope = Jobs::new().create_scope();
    let tasks: Vec<_> = (0..500)
        .map(|_| {
            let scope = scope.clone();
            tokio::spawn(async move { scope.resolve::<Arc<UnitOfWork>>().await.unwrap() })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.push(t.await.unwrap());
    }
    assert_eq!(UNITS_OF_WORK.load(SeqCst), 1);
    assert!(all.iter().all(|u| Arc::ptr_eq(u, &all[0])));
}

#[tokio::test]
async fn a_scope_knows_its_root() {
    let (app, other) = (App::new(), App::new());
    let scope = app.create_scope();
    let clock = app.resolve::<Arc<Clock>>().await.unwrap();
    let through_root = scope.root().resolve::<Arc<Clock>>().await.unwrap();
    assert!(Arc::ptr_eq(&through_root, &clock), "the root is the container the scope was opened from");
    assert!(!Arc::ptr_eq(&other.resolve::<Arc<Clock>>().await.unwrap(), &clock));
    // the scope keeps its root: without the handle it was opened from, it still reaches it
    drop(app);
    assert!(Arc::ptr_eq(&scope.root().resolve::<Arc<Clock>>().await.unwrap(), &clock));
}
