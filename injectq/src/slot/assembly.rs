//! An assembled creation: its shared dependencies awaited (or created by plain calls), then built by plain calls.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::creation::{Creating, Once, Published, creating_now, drive, store};
use super::pending::{Pending, PendingFn, Starts, settle};
use super::{Gate, Held, Job, PlainHold, Slot};
use crate::bag::DisposeBag;
use crate::dispose::Disposer;
use crate::future::BoxFuture;
use crate::{Error, Result};

/// How a service whose dependencies can all be had without awaiting (once the shared ones among
/// them are created) is created: nothing of it is `async`. Its creation first awaits each shared
/// dependency that is not created yet, one after the other, as `pending` hands them out; then it
/// builds the service by plain calls and stores it, with `finish`.
pub(crate) struct Assembly<C> {
    /// the service's name, for errors and spans
    pub(crate) name: &'static str,
    /// whether every dependency can be had now (checked before anything is built)
    pub(crate) ready: fn(&C) -> bool,
    /// the creation of the first shared dependency that is not created yet, if any
    pub(crate) pending: PendingFn<C>,
    /// builds the service by plain calls and stores it in its slot, whose gate is held
    pub(crate) finish: for<'c, 'g> fn(&'c C, &Gate<'g>) -> Finished,
}

/// What building a service by plain calls, under its slot's gate, did.
pub(crate) enum Finished {
    /// a dependency could not be had without awaiting: nothing was built
    NotNow,
    /// the building failed
    Failed(Error),
    /// the instance is in its slot
    Stored,
    /// built while its owner was being disposed: the future that disposes it and gives the error
    Refused(BoxFuture<'static, Error>),
}

/// Builds an instance by plain calls with `now`, and stores it in `slot`, whose gate is `gate`
/// (see [`Assembly::finish`]): the only part of an assembled creation that is typed.
#[inline]
pub(crate) fn finish<T, U: ?Sized>(
    slot: &Slot<U>,
    gate: &Gate<'_>,
    now: impl FnOnce() -> Option<Result<T>>,
    disposer: fn(&Arc<T>, &'static str) -> Option<Disposer>,
    wrap: fn(Arc<T>) -> Arc<U>,
    bag: &DisposeBag,
    name: &'static str,
) -> Finished {
    match now() {
        None => Finished::NotNow,
        Some(Err(failed)) => Finished::Failed(failed),
        Some(Ok(built)) => match store(Held::new(slot, gate), built, disposer, wrap, bag, name) {
            Ok(_) => Finished::Stored,
            Err(refused) => Finished::Refused(refused),
        },
    }
}

/// [`once`] for a service created as [`Assembly`] says: the same guarantees (exactly once, the
/// cycle guard, the deadline, the disposal check). Only the ready path is generic in the stored
/// type; the rest ([`start`]) only in the container.
#[inline]
pub(crate) fn assembled<'a, C, U>(
    slot: &'a Slot<U>,
    c: &'a C,
    bag: &'a DisposeBag,
    assembly: &'static Assembly<C>,
) -> Once<'a, U>
where
    C: Sync,
    U: ?Sized + Send + Sync + 'a,
{
    match assembled_pending(slot, c, bag, assembly, Starts::Drivers) {
        None => Once::Ready(Some(Ok(slot.filled()))),
        Some(Pending::Failed(failed)) => Once::Ready(failed.map(Err)),
        Some(Pending::Later(later)) => Once::Later(slot, later),
        Some(Pending::Refused(refused)) => Once::Refused(refused),
        Some(Pending::NotNow(_)) => unreachable!("a driver is started, never `NotNow`"),
    }
}

/// [`assembled`], for a service that another one waits for: `None` once it is created.
#[inline]
pub(crate) fn assembled_pending<'a, C, U>(
    slot: &'a Slot<U>,
    c: &'a C,
    bag: &'a DisposeBag,
    assembly: &'static Assembly<C>,
    starts: Starts,
) -> Option<Pending<'a>>
where
    C: Sync,
    U: ?Sized,
{
    if slot.get().is_some() {
        return None;
    }
    start(slot.job(assembly.name, bag), c, assembly, starts)
}

/// Starts an assembled creation: by plain calls, when the gate is free and every dependency is
/// ready, or can be created by plain calls first (`None`: stored); otherwise its driver, which
/// awaits the dependencies' creations (nested in this one, so that a cycle through them is seen),
/// then finishes. The first part is inlined into the service's ready path, where the assembly's
/// table is a constant, so that its calls are direct (measured: a scope cycle of three creations
/// took 2346 instructions with the calls through pointers, 2229 inlined, and the release build was
/// no slower); the driver is not.
///
/// The dependencies are created by plain calls only ([`Starts::PlainCalls`]): a creation nested in
/// it that would have to await is not started (it is [`Pending::NotNow`]), so that it is started
/// by this creation's driver instead, nested in it, where the cycle guard sees the chain. A chain
/// of assembled singletons created cold is thus created by nested plain calls, with no driver
/// at all; it is acyclic, since the graph check refuses a cycle of dependencies by value. Asked
/// for plain calls only itself (`starts`), it starts no driver either.
#[inline(always)]
fn start<'a, C: Sync>(job: Job<'a>, c: &'a C, assembly: &'static Assembly<C>, starts: Starts) -> Option<Pending<'a>> {
    let (name, bag) = (job.name, job.bag);
    let Assembly { ready, pending, finish, .. } = *assembly;
    let mut waiting = None;
    if let Some(guard) = job.gate.try_lock(job.ready) {
        let gate = Gate(guard);
        let _held = PlainHold::new(job.plain_holder);
        if let Some(settled) = job.settled() {
            return settled.err().map(|failed| Pending::Failed(Some(failed)));
        }
        if ready(c) || dependencies_now(c, pending, &mut waiting) {
            match finishing_now(name, bag, || finish(c, &gate)) {
                Finished::Stored => return None,
                Finished::Failed(failed) => return Some(Pending::Failed(Some(failed))),
                Finished::Refused(refused) => return Some(Pending::Refused(refused)),
                Finished::NotNow => {}
            }
        }
    }
    if starts == Starts::PlainCalls {
        // no driver: what a dependency gave (its failure, its refusal, or that it must be
        // awaited), seen from this creation; or the gate, held by another creation
        return Some(match waiting {
            Some(given) => given.within(name),
            None => Pending::NotNow(Error::not_ready(name)),
        });
    }
    if let Some(Pending::NotNow(_)) = waiting {
        waiting = None;
    }
    later(job, c, pending, finish, waiting)
}

/// Creates the dependencies of an assembled service that are not created yet, by plain calls
/// (see [`start`]): whether they all are now. If one failed or was refused, that is `waiting`,
/// for the driver to hand on as it would have; if one would have had to await, it was not
/// started, and `waiting` is its `NotNow`. One started as a driver outside the asking creation's
/// chain is dropped unpolled, and the driver starts it again.
#[cold]
#[inline(never)]
fn dependencies_now<'a, C>(c: &'a C, pending: PendingFn<C>, waiting: &mut Option<Pending<'a>>) -> bool {
    match pending(c, Starts::PlainCalls) {
        None => true,
        Some(Pending::Later(_)) => false,
        Some(other) => {
            *waiting = Some(other);
            false
        }
    }
}

/// The driver of an assembled creation (see [`start`]), which first awaits `waiting`, if any.
fn later<'a, C: Sync>(
    job: Job<'a>,
    c: &'a C,
    pending: PendingFn<C>,
    finish: for<'c, 'g> fn(&'c C, &Gate<'g>) -> Finished,
    waiting: Option<Pending<'a>>,
) -> Option<Pending<'a>> {
    let part = Assembling { c, pending, finish, waiting, refused: None };
    Some(match drive(job, part) {
        Ok(driving) => Pending::Later(driving),
        Err(cycle) => Pending::Failed(Some(cycle)),
    })
}

/// The typed part of an assembled creation, as the driver sees it: generic in the container
/// only, so one serves every service of a container.
struct Assembling<'a, C> {
    c: &'a C,
    pending: PendingFn<C>,
    finish: for<'c, 'g> fn(&'c C, &Gate<'g>) -> Finished,
    /// the dependency's creation awaited now
    waiting: Option<Pending<'a>>,
    /// what was built while the owner was being disposed, for `publish`
    refused: Option<BoxFuture<'static, Error>>,
}

impl<C: Sync> Creating for Assembling<'_, C> {
    fn poll_build(self: Pin<&mut Self>, cx: &mut Context<'_>, gate: &Gate<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        std::task::ready!(settle(this.c, this.pending, &mut this.waiting, cx))?;
        Poll::Ready(match (this.finish)(this.c, gate) {
            Finished::Stored => Ok(()),
            Finished::Failed(failed) => Err(failed),
            Finished::Refused(refused) => {
                this.refused = Some(refused);
                Ok(())
            }
            // every shared dependency is created (`pending` says so), and an assembled service
            // needs nothing else that must be awaited (`Shared::ASSEMBLED`)
            Finished::NotNow => unreachable!("a dependency of an assembled service could not be had once created"),
        })
    }

    fn publish(self: Pin<&mut Self>, _: &Gate<'_>, _: &DisposeBag, _: &'static str) -> Published {
        self.get_mut().refused.take().map_or(Ok(()), Err)
    }
}

/// [`creating_now`] for an assembled creation, which builds and stores in one step.
#[inline]
fn finishing_now(name: &'static str, bag: &DisposeBag, finish: impl FnOnce() -> Finished) -> Finished {
    let finished = creating_now(name, bag, || match finish() {
        Finished::NotNow => None,
        Finished::Failed(failed) => Some(Err(failed)),
        done => Some(Ok(done)),
    });
    match finished {
        None => Finished::NotNow,
        Some(Err(failed)) => Finished::Failed(failed),
        Some(Ok(done)) => done,
    }
}
