//! Memory figures: the size of resolve futures, and the bytes a scope allocates. Prints one
//! `name value` line per figure, read by `benches/report.py`.
// the chains of 50 nest 50 futures, which rustc lays out with a query depth of about 10 per
// level (see the library)
#![recursion_limit = "1024"]

use std::sync::Arc;

use injectq_benches::counting::{Counting, allocations_by};
use injectq_benches::graphs::*;

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocated_by(f: impl FnOnce()) -> usize {
    allocations_by(f).1
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();

    let transient = TransientApp::new();
    println!("future_transient16 {}", std::mem::size_of_val(&transient.resolve::<Root>()));
    let chain = transient_chain::Chain50::new();
    println!("future_chain50 {}", std::mem::size_of_val(&chain.resolve::<transient_chain::T00>()));
    let singleton = SingletonApp::new();
    println!("future_singleton {}", std::mem::size_of_val(&singleton.resolve::<Arc<Svc>>()));

    let app = ScopeApp::new();
    let scope_bytes = allocated_by(|| drop(app.create_scope()));
    println!("scope_bytes {scope_bytes}");
    let cycle_bytes = allocated_by(|| {
        rt.block_on(async {
            let scope = app.create_scope();
            scope.resolve::<Arc<Session>>().await.unwrap();
            scope.resolve::<Arc<Transaction>>().await.unwrap();
            scope.resolve::<Arc<Audit>>().await.unwrap();
            scope.dispose().await.unwrap();
        })
    });
    println!("scope3_cycle_bytes {cycle_bytes}");
    let hand_bytes = allocated_by(|| drop(HandScope::open()));
    println!("hand_scope3_bytes {hand_bytes}");

    // cold start: a new container creates a chain of 50 singletons, each needing the next
    let (count, bytes) = allocations_by(|| {
        rt.block_on(async {
            let app = singleton_chain::SChain50::new();
            let head = app.resolve::<Arc<singleton_chain::S00>>().await.unwrap();
            // the chain is whole: the head holds the next link, which the container holds too
            assert_eq!(Arc::strong_count(&head.next), 2);
            drop(app);
        })
    });
    println!("cold_chain50_allocations {count}");
    println!("cold_chain50_bytes {bytes}");
    let (count, bytes) = allocations_by(|| {
        rt.block_on(async {
            let chain = injectq_benches::graphs::hand_chain::HandChain50::default();
            let head = chain.s00().await;
            assert_eq!(Arc::strong_count(&head.next), 2);
            drop(chain);
        })
    });
    println!("hand_cold_chain50_allocations {count}");
    println!("hand_cold_chain50_bytes {bytes}");
}
