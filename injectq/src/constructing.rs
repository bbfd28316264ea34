//! The shared services a task is constructing, innermost last: a task that waits for a service
//! it is itself constructing (a cycle awaited through `Lazy`/`Provider` inside a construction)
//! gets an error that names the loop instead of waiting forever.

use std::cell::RefCell;
use std::future::Future;

use crate::{Error, Result};

tokio::task_local! {
    static CONSTRUCTING: RefCell<Vec<(usize, &'static str)>>;
}

/// Runs `construct`, the construction of the shared service `name` whose cell is at address
/// `cell`, recorded as under construction by this task; fails at once if this task is already
/// constructing it.
pub(crate) async fn guarded<T>(
    cell: usize,
    name: &'static str,
    construct: impl Future<Output = Result<T>>,
) -> Result<T> {
    match CONSTRUCTING.try_with(|stack| enter(&mut stack.borrow_mut(), cell, name)) {
        Ok(entered) => {
            entered?;
            let _leave = Leave;
            construct.await
        }
        // the outermost construction of this task: start its record
        Err(_) => CONSTRUCTING.scope(RefCell::new(vec![(cell, name)]), construct).await,
    }
}

fn enter(stack: &mut Vec<(usize, &'static str)>, cell: usize, name: &'static str) -> Result<()> {
    if let Some(start) = stack.iter().position(|(c, _)| *c == cell) {
        let mut path: Vec<_> = stack[start..].iter().map(|(_, n)| *n).collect();
        path.push(name);
        return Err(Error::cycle(name, path));
    }
    stack.push((cell, name));
    Ok(())
}

/// Pops this construction off the record when it ends, also by error, panic or cancellation.
struct Leave;

impl Drop for Leave {
    fn drop(&mut self) {
        let _ = CONSTRUCTING.try_with(|stack| stack.borrow_mut().pop());
    }
}
