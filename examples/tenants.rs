//! Tenants over axum: each tenant has a scope of its own with its database, opened on its first
//! request and shared by all of them; each request is a scope nested in its tenant's. The cache
//! keeps at most two tenants: a third evicts the least recently used one that is idle, whose
//! database is closed once nothing uses it (in the background); the tenant's next request opens
//! it again. At shutdown the cache lets go of the rest.
//!
//! Run it with `cargo run -p injectq-examples --example tenants`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use injectq::{AsyncDispose, BoxError, Outcome, Tenants, container, injectable};

/// Which tenant a request is for: the tenant scope's input, its key.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TenantId(pub String);

/// Who is asking: the request scope's input.
pub struct Caller(pub String);

/// What each tenant's databases did, printed at the end: opened, closed, queries served.
#[derive(Default)]
pub struct Log(Mutex<BTreeMap<String, [usize; 3]>>);

impl Log {
    fn count(&self, tenant: &str, what: usize, n: usize) {
        self.0.lock().unwrap().entry(tenant.to_owned()).or_default()[what] += n;
    }
}

/// A tenant's database: opened on the tenant's first request, closed with its scope.
#[injectable(init = Self::open, dispose)]
pub struct TenantDb {
    tenant: Arc<TenantId>,
    log: Arc<Log>,
    #[inject(default)]
    queries: AtomicUsize,
}

impl TenantDb {
    async fn open(&mut self) {
        self.log.count(&self.tenant.0, 0, 1);
    }
}

impl AsyncDispose for TenantDb {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        assert_eq!(outcome, Outcome::Completed, "a tenant is closed once nothing uses it");
        self.log.count(&self.tenant.0, 1, 1);
        self.log.count(&self.tenant.0, 2, self.queries.load(Ordering::SeqCst));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A request's service: the caller's notes, from the tenant's database.
#[injectable]
pub struct Notes {
    db: Arc<TenantDb>,
    caller: Arc<Caller>,
}

impl Notes {
    fn list(&self) -> String {
        let n = self.db.queries.fetch_add(1, Ordering::SeqCst) + 1;
        format!("notes of {} at {} (query {n} of this tenant)", self.caller.0, self.db.tenant.0)
    }
}

container! {
    pub struct App {
        value Log;

        /// A tenant: its database.
        scope TenantScope {
            input TenantId;
            scoped TenantDb;

            /// A request of a tenant.
            scope RequestScope {
                input Caller;
                transient Notes;
            }
        }
    }
}

/// The router's state: the tenants' scopes.
#[derive(Clone)]
struct Served {
    tenants: Tenants<App, TenantScope>,
}

/// `GET /notes`, with `x-tenant` and `x-user` headers: answered in a request scope inside the
/// tenant's.
async fn notes(State(served): State<Served>, headers: HeaderMap) -> Result<String, (StatusCode, String)> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (Some(tenant), Some(user)) = (header("x-tenant"), header("x-user")) else {
        return Err((StatusCode::BAD_REQUEST, "x-tenant and x-user, please".into()));
    };
    let unavailable = |e: injectq::Error| (StatusCode::SERVICE_UNAVAILABLE, e.to_string());
    let tenant = served.tenants.get(TenantId(tenant)).map_err(unavailable)?;
    tenant
        .with_request_scope_with(Caller(user), |request| async move { Ok(request.resolve::<Notes>().await?.list()) })
        .await
        .map_err(unavailable)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let tenants = Tenants::<App, TenantScope>::of(&app)?.max_tenants(2);
    let router = Router::new().route("/notes", get(notes)).with_state(Served { tenants: tenants.clone() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/notes", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let client = reqwest::Client::new();
    for (tenant, user) in [("acme", "ada"), ("acme", "alan"), ("globex", "grace"), ("initech", "ivan"), ("acme", "ada")]
    {
        let answer = client.get(&url).header("x-tenant", tenant).header("x-user", user).send().await?.text().await?;
        println!("GET /notes as {user}@{tenant}: {answer}");
    }

    server.abort();
    app.shutdown(Duration::from_secs(5)).await?;
    for (tenant, [opened, closed, queries]) in log.0.lock().unwrap().iter() {
        println!("{tenant}: database opened {opened}x, closed {closed}x, {queries} queries");
    }
    let stats = tenants.stats();
    println!(
        "tenants opened {}, evicted {}, let go at shutdown {}",
        stats.opened, stats.evicted, stats.released_at_close
    );
    Ok(())
}
