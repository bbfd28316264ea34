//! The atomics and the cell that the slot and the gate are built on: std's, or, when they are
//! model-checked, loom's (`RUSTFLAGS="--cfg injectq_loom" cargo test -p injectq --lib --release
//! loom`), which explores every interleaving and memory ordering of the threads of a test. Nothing
//! else of the crate changes under loom.

#[cfg(injectq_loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize};
#[cfg(not(injectq_loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize};

#[cfg(injectq_loom)]
pub(crate) use loom::cell::UnsafeCell;

/// `std`'s `UnsafeCell` with loom's interface: the raw pointer is lent to a closure, so that loom
/// can see each access begin and end.
#[cfg(not(injectq_loom))]
#[derive(Debug)]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(injectq_loom))]
impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    /// `f` with a pointer to read through.
    #[inline(always)]
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// `f` with a pointer to write through.
    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

/// `mutex`, locked; poisoned, it is used as it is. For the mutexes of this crate, whose holders
/// change what they guard in steps that leave it whole (a push, a swap, a take) and run no user
/// code: a panic elsewhere while one was held leaves nothing half-changed to refuse.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
