//! Assisted injection: a `#[factory]` whose `#[arg]` parameters the caller gives and whose other
//! parameters the container resolves, injected as `Assisted<factory>` and called with the
//! caller's arguments; the other parameters stay checked at compile time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use injectq::{Assisted, ErrorKind, container, factory, injectable};

/// Shared by every connection.
#[injectable]
pub struct Pool {
    #[inject(default)]
    opened: AtomicUsize,
}

/// Made per call, with the caller's URL: never kept by the container.
pub struct Conn {
    pub url: String,
    pub retries: u32,
    pub pool: Arc<Pool>,
}

/// `pool` comes from the container; `url` and `retries` from the caller.
#[factory]
async fn connect(pool: Arc<Pool>, #[arg] url: String, #[arg] retries: u32) -> Result<Conn, std::io::Error> {
    if url.is_empty() {
        return Err(std::io::Error::other("no URL"));
    }
    pool.opened.fetch_add(1, SeqCst);
    Ok(Conn { url, retries, pool })
}

/// A singleton that makes connections on demand.
#[injectable]
pub struct Replicas {
    connect: Assisted<connect>,
}

/// Per scope; a factory that needs it is called from the scope.
#[injectable]
pub struct Tenant {
    #[inject(default = "acme".to_owned())]
    name: String,
}

#[factory]
fn report(tenant: Arc<Tenant>, #[arg] title: &'static str) -> String {
    format!("{title} for {}", tenant.name)
}

container! {
    pub struct App {
        singleton Pool;
        singleton Replicas;
        scoped Tenant;
    }
}

#[tokio::test]
async fn the_caller_gives_its_arguments_and_the_container_the_rest() {
    let app = App::new();
    let replicas = app.resolve::<Arc<Replicas>>().await.unwrap();
    let a = replicas.connect.call(("db-a".into(), 3)).await.unwrap();
    let b = replicas.connect.call(("db-b".into(), 0)).await.unwrap();
    assert_eq!((a.url.as_str(), a.retries, b.url.as_str(), b.retries), ("db-a", 3, "db-b", 0));
    assert!(Arc::ptr_eq(&a.pool, &b.pool), "the injected parameter is the container's singleton");
    assert_eq!(a.pool.opened.load(SeqCst), 2, "a new one per call");
}

#[tokio::test]
async fn a_failing_call_is_the_factory_s_error() {
    let app = App::new();
    let connect = app.resolve::<Assisted<connect>>().await.unwrap();
    let error = connect.call((String::new(), 0)).await.err().expect("no URL");
    assert_eq!(error.kind(), ErrorKind::Factory);
    assert_eq!(error.to_string(), "failed to resolve: factory `connect` failed: no URL");
}

#[tokio::test]
async fn from_a_scope_the_factory_gets_the_scope_s_services() {
    let app = App::new();
    let scope = app.create_scope();
    let report = scope.resolve::<Assisted<report>>().await.unwrap();
    assert_eq!(report.call(("sales",)).await.unwrap(), "sales for acme");
}

#[tokio::test]
async fn after_its_container_is_disposed_or_gone_a_call_is_an_error() {
    let app = App::new();
    let connect = app.resolve::<Assisted<connect>>().await.unwrap();
    app.dispose().await.unwrap();
    assert_eq!(connect.call(("db".into(), 0)).await.err().unwrap().kind(), ErrorKind::Disposed);
    drop(app);
    assert_eq!(connect.call(("db".into(), 0)).await.err().unwrap().kind(), ErrorKind::ContainerDropped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_each_make_their_own() {
    let app = App::new();
    let connect = app.resolve::<Assisted<connect>>().await.unwrap();
    let calls: Vec<_> = (0..100u32)
        .map(|i| {
            let connect = connect.clone();
            tokio::spawn(async move { connect.call((format!("db-{i}"), i)).await.unwrap() })
        })
        .collect();
    let made = tokio::time::timeout(Duration::from_secs(20), async {
        let mut made = Vec::new();
        for call in calls {
            made.push(call.await.unwrap());
        }
        made
    })
    .await
    .expect("100 calls finish");
    assert!(made.iter().enumerate().all(|(i, c)| c.url == format!("db-{i}") && c.retries == i as u32));
    assert_eq!(made[0].pool.opened.load(SeqCst), 100);
}
