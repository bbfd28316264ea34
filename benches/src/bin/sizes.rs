//! Memory figures: the size of resolve futures, and the bytes a scope allocates. Prints one
//! `name value` line per figure, read by `benches/report.py`.
#![recursion_limit = "512"]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use injectq::{container, injectable};
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

macro_rules! chain {
    ($lifetime:ident $app:ident: $first:ident $(, $rest:ident)*) => {
        chain!(@link $first $(, $rest)*);
        container! {
            pub struct $app {
                $lifetime $first; $($lifetime $rest;)*
            }
        }
    };
    (@link $a:ident, $b:ident $(, $rest:ident)*) => {
        #[injectable]
        // the links hold the chain; only the head's is read
        #[allow(dead_code)]
        pub struct $a {
            pub next: Link<$b>,
        }
        chain!(@link $b $(, $rest)*);
    };
    (@link $last:ident) => {
        #[injectable]
        pub struct $last;
    };
}

mod transient_chain {
    use super::*;
    /// A transient holds the next link by value.
    type Link<T> = T;
    chain!(transient Chain50: T00, T01, T02, T03, T04, T05, T06, T07, T08, T09, T10, T11, T12, T13, T14, T15, T16,
        T17, T18, T19, T20, T21, T22, T23, T24, T25, T26, T27, T28, T29, T30, T31, T32, T33, T34, T35, T36, T37, T38,
        T39, T40, T41, T42, T43, T44, T45, T46, T47, T48, T49);
}

mod singleton_chain {
    use super::*;
    /// A singleton holds the next link as an `Arc`.
    type Link<T> = Arc<T>;
    chain!(singleton SChain50: S00, S01, S02, S03, S04, S05, S06, S07, S08, S09, S10, S11, S12, S13, S14, S15, S16,
        S17, S18, S19, S20, S21, S22, S23, S24, S25, S26, S27, S28, S29, S30, S31, S32, S33, S34, S35, S36, S37, S38,
        S39, S40, S41, S42, S43, S44, S45, S46, S47, S48, S49);
}

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
}
