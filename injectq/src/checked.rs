//! [`Checked`]: a container's state, whose `Send` and `Sync` are proven once, where the container
//! is declared, instead of in every function that uses the container.
//!
//! The compiler proves an auto trait of a struct from all its fields, and it does so again in
//! every function body that needs it: a container's state has a field per singleton, and every
//! `provide` needs `&App: Send`, so the proofs cost O(services) each and O(services²) in all.
//! `Checked<S>` is `Send + Sync` through [`ThreadSafe`], a trait with those as supertraits that
//! `container!` implements for its state: the supertraits are proven once, at that impl, and
//! `Checked<S>: Sync` is one impl match everywhere else.

use std::ops::Deref;
use std::sync::Arc;

/// A container's or scope's state, proven `Send + Sync` by its impl of this trait: a state with a
/// field that is not cannot implement it, so `Checked` never shares what is not `Sync`.
///
/// ```compile_fail,E0277
/// struct State(std::rc::Rc<u8>);
/// impl injectq::__private::ThreadSafe for State {} // `Rc` is neither `Send` nor `Sync`
/// ```
pub trait ThreadSafe: Send + Sync + 'static {}

/// `S`, `Send` and `Sync` because `S: ThreadSafe` says so (see the module).
pub struct Checked<S>(S);

impl<S: ThreadSafe> Checked<S> {
    /// `state`, shared.
    #[inline]
    pub fn shared(state: S) -> Arc<Self> {
        Arc::new(Checked(state))
    }
}

impl<S> Deref for Checked<S> {
    type Target = S;

    #[inline]
    fn deref(&self) -> &S {
        &self.0
    }
}

// SAFETY: `Checked<S>` holds an `S` and nothing else, and it is only `Send` when `S: ThreadSafe`,
// whose supertrait `Send` the compiler proved for `S` at `S`'s impl of `ThreadSafe`.
#[allow(unsafe_code)]
unsafe impl<S: ThreadSafe> Send for Checked<S> {}

// SAFETY: as for `Send`: `ThreadSafe` has `Sync` as a supertrait, proven at `S`'s impl.
#[allow(unsafe_code)]
unsafe impl<S: ThreadSafe> Sync for Checked<S> {}

#[cfg(test)]
mod tests {
    use super::*;

    struct State {
        value: std::sync::Mutex<u32>,
    }

    impl ThreadSafe for State {}

    fn shared_between_threads<T: Send + Sync>(_: &T) {}

    #[test]
    fn a_checked_state_is_shared_between_threads_and_reads_as_the_state() {
        let state = Checked::shared(State { value: std::sync::Mutex::new(1) });
        shared_between_threads(&state);
        let other = Arc::clone(&state);
        std::thread::spawn(move || *other.value.lock().unwrap() += 1).join().unwrap();
        assert_eq!(*state.value.lock().unwrap(), 2);
    }
}
