//! Memory figures: the size of resolve futures, and the bytes a scope allocates. Prints one
//! `name value` line per figure, read by `benches/report.py`.
// the chains of 50 nest 50 futures, which rustc lays out with a query depth of about 10 per
// level (see the library)
#![recursion_limit = "1024"]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use injectq_benches::graphs::*;

/// The system allocator, counting the bytes it hands out.
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract;
// the counter is a side effect that touches no memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Relaxed);
        ALLOCATIONS.fetch_add(1, Relaxed);
        // SAFETY: forwarded with the caller's layout, as `GlobalAlloc::alloc` requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this `layout` (every allocation goes there).
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocated_by(f: impl FnOnce()) -> usize {
    allocations_by(f).1
}

/// How many allocations `f` makes, and how many bytes.
fn allocations_by(f: impl FnOnce()) -> (usize, usize) {
    let (count, bytes) = (ALLOCATIONS.load(Relaxed), ALLOCATED.load(Relaxed));
    f();
    (ALLOCATIONS.load(Relaxed) - count, ALLOCATED.load(Relaxed) - bytes)
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
