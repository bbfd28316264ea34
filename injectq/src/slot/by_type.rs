//! The slots of generic registrations (`singleton<T: Entity> Repo<T>;`): one [`Slot`] per type
//! asked for, created on first use and kept as long as the container or scope, so that each
//! `Repo<Note>` is created once and shared, as a written-out registration's field would be.

use std::any::{Any, TypeId};

use super::Slot;

/// A slot per type, created on first use (written into a container's or a scope's state when it
/// has generic registrations).
///
/// Looking up a slot takes a read lock and compares `TypeId`s; the first use of a type takes the
/// write lock to add its slot. No lock is held while a service is created (the slot's own
/// creation does that), so user code never runs under it. Slots are never removed: each lives
/// as long as the state that holds it.
#[doc(hidden)]
pub struct TypeSlots {
    // ordered by `TypeId`: a lookup compares ids, with no hashing (see the figures in
    // BENCHMARKS.md, "Generic registrations")
    slots: elsa::sync::FrozenBTreeMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl Default for TypeSlots {
    fn default() -> Self {
        TypeSlots { slots: elsa::sync::FrozenBTreeMap::new() }
    }
}

impl TypeSlots {
    /// The slot of `T`, added if it is the first time `T` is asked for.
    pub fn slot<T: Send + Sync + 'static>(&self) -> &Slot<T> {
        let id = TypeId::of::<T>();
        let slot = match self.slots.get(&id) {
            Some(slot) => slot,
            None => self.slots.insert(id, Box::new(Slot::<T>::default())),
        };
        slot.downcast_ref::<Slot<T>>().expect("a slot is kept under its own type's id")
    }
}

impl std::fmt::Debug for TypeSlots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypeSlots").finish_non_exhaustive()
    }
}
