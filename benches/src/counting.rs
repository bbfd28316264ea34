//! The system allocator, counting the allocations and bytes it hands out: a binary that measures
//! memory installs it with `#[global_allocator] static GLOBAL: Counting = Counting;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting.
pub struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract;
// the counters are a side effect that touches no memory handed out.
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

/// The allocations made so far, and their bytes (by every thread: counted while installed).
pub fn allocations() -> (usize, usize) {
    (ALLOCATIONS.load(Relaxed), ALLOCATED.load(Relaxed))
}

/// How many allocations `f` makes, and how many bytes.
pub fn allocations_by(f: impl FnOnce()) -> (usize, usize) {
    let (count, bytes) = allocations();
    f();
    let (after, after_bytes) = allocations();
    (after - count, after_bytes - bytes)
}
