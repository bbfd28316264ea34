//! What a tenant cache costs as its tenants grow (1k, 10k, 100k keys), per `get`: opening every
//! key once (`open`), getting each again (`hit`), and churn past the maximum (`churn`: room for
//! half the keys, each get of a new key evicting the least recently used idle tenant, whose
//! disposal runs in the background), then a shutdown that lets go of every tenant (`close`, per
//! tenant). Each tenant's scope holds a database with a disposer, created on its first request.
//! The hand-written equivalent is a `HashMap` behind a `Mutex` of `Arc`s, for scale. The cost
//! per operation stays flat when the cache grows linearly.
//!
//! Prints `name value` lines (nanoseconds per operation), read by `benches/report.py`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use injectq::{AsyncDispose, BoxError, Tenants, container, injectable};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TenantId(pub usize);

/// A tenant's database: created on its first use, disposed with its tenant.
#[injectable(dispose)]
pub struct TenantDb {
    tenant: Arc<TenantId>,
}

impl AsyncDispose for TenantDb {
    async fn dispose(&self) -> Result<(), BoxError> {
        std::hint::black_box(self.tenant.0);
        Ok(())
    }
}

container! {
    pub struct App {
        scope TenantScope {
            input TenantId;
            scoped TenantDb;
        }
    }
}

fn per_op(start: Instant, ops: usize) -> f64 {
    start.elapsed().as_nanos() as f64 / ops as f64
}

async fn measure(n: usize) {
    let app = App::new();
    let tenants = Tenants::<App, TenantScope>::of(&app).unwrap();

    let start = Instant::now();
    for key in 0..n {
        let tenant = tenants.get(TenantId(key)).unwrap();
        std::hint::black_box(tenant.get::<Arc<TenantDb>>().unwrap());
    }
    println!("tenants_open_{n}_ns_each {:.0}", per_op(start, n));

    let start = Instant::now();
    for key in 0..n {
        std::hint::black_box(tenants.get(TenantId(key)).unwrap());
    }
    println!("tenants_hit_{n}_ns_each {:.0}", per_op(start, n));

    let start = Instant::now();
    app.shutdown(Duration::from_secs(60)).await.unwrap();
    println!("tenants_close_{n}_ns_each {:.0}", per_op(start, n));

    // churn: room for n/2, 2n keys in turn
    let app = App::new();
    let tenants = Tenants::<App, TenantScope>::of(&app).unwrap().max_tenants(n / 2);
    let start = Instant::now();
    for key in 0..2 * n {
        let tenant = tenants.get(TenantId(key)).unwrap();
        std::hint::black_box(tenant.get::<Arc<TenantDb>>().unwrap());
    }
    app.shutdown(Duration::from_secs(60)).await.unwrap();
    println!("tenants_churn_{n}_ns_each {:.0}", per_op(start, 2 * n));

    // by hand: a map of shared values, no scope, no disposal
    let map: Mutex<HashMap<usize, Arc<usize>>> = Mutex::default();
    let start = Instant::now();
    for key in 0..n {
        let value = Arc::clone(map.lock().unwrap().entry(key).or_insert_with(|| Arc::new(key)));
        std::hint::black_box(value);
    }
    println!("hand_map_open_{n}_ns_each {:.0}", per_op(start, n));
}

#[tokio::main]
async fn main() {
    for n in SIZES {
        measure(n).await;
    }
}
