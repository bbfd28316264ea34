//! The one error type of injectq: what failed, where in the graph, and why.

use std::fmt;

/// A boxed error from user code (a factory, an init hook), kept as the [`Error`]'s source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `Result<T, injectq::Error>`, what every resolution returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a resolution failed.
///
/// The compiler has already checked the wiring, so every variant here is a run-time failure of
/// user code or of the program's own use of a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A factory function returned an error.
    Factory,
    /// The init hook of an `#[injectable]` type returned an error.
    Init,
    /// The container or scope was disposed: nothing more can be resolved from it.
    Disposed,
    /// A `Lazy<T>` or `Provider<T>` was used after its container or scope was dropped.
    ContainerDropped,
    /// A service awaited itself during its own construction, through a `Lazy<T>` or a
    /// `Provider<T>`: a cycle that would otherwise deadlock.
    Cycle,
    /// No scope of the container is entered for the current task.
    NoCurrentScope,
    /// A creation (or its wait for another creation of the same service) took longer than the
    /// container's create timeout.
    Timeout,
    /// The container is shutting down, or was shut down: `shutdown()` began before this scope was
    /// opened, or cut it short, so nothing can be resolved from it (`Inject` answers `503`). A
    /// container disposed by `dispose()` alone says `Disposed`.
    ShuttingDown,
    /// Disposers failed: a [`DisposeError`](crate::DisposeError) turned into an `Error` (by `?`
    /// or `From`), which is this error's [`source`](std::error::Error::source).
    Dispose,
    /// `get` needed a shared service that is not created yet and whose creation must be awaited
    /// (an init hook, an async factory, or a creation another task is running): `get` never
    /// waits. Resolve it with `.await` once (or `start()` the container), then `get` finds it.
    NotReady,
    /// A hosted service's `start` failed: the container's `start()` stopped the hosted services
    /// that had started, and returned this error.
    Start,
}

/// A failed resolution, with the path through the dependency graph that led to it.
///
/// The path lists the services being created, outermost first: resolving `Handler`, which
/// needs `UserService`, which needs `Pool`, whose factory failed, reads
///
/// ```text
/// failed to resolve `Handler` -> `UserService` -> `Pool`: factory `make_pool` failed: connection refused
/// ```
///
/// The error of user code is kept and returned by [`std::error::Error::source`]; its message is
/// also part of this error's `Display`, so that a single log line tells the whole story.
pub struct Error {
    // one pointer: a `Result<T, Error>` is as small as `T` allows, on every path that succeeds
    repr: Box<Repr>,
}

struct Repr {
    kind: ErrorKind,
    /// what failed: the factory's or the type's name
    subject: &'static str,
    /// innermost first; `Display` prints it reversed
    path: Vec<&'static str>,
    source: Option<BoxError>,
    /// the deadline a `Timeout` missed
    limit: Option<std::time::Duration>,
}

impl Error {
    /// A factory named `factory` failed with `source`.
    pub fn factory(factory: &'static str, source: impl Into<BoxError>) -> Self {
        Self::new(ErrorKind::Factory, factory, Some(source.into()))
    }

    /// The init hook of `ty` failed with `source`.
    pub fn init(ty: &'static str, source: impl Into<BoxError>) -> Self {
        Self::new(ErrorKind::Init, ty, Some(source.into()))
    }

    /// The hosted service `service` failed to start with `source`.
    pub(crate) fn start(service: &'static str, source: BoxError) -> Self {
        Self::new(ErrorKind::Start, service, Some(source))
    }

    /// `owner` (a container or scope) was disposed.
    pub(crate) fn disposed(owner: &'static str) -> Self {
        Self::new(ErrorKind::Disposed, owner, None)
    }

    /// The container or scope behind a `Lazy`/`Provider` of `ty` is gone.
    pub(crate) fn container_dropped(ty: &'static str) -> Self {
        Self::new(ErrorKind::ContainerDropped, ty, None)
    }

    /// `service` awaited itself during its own construction; `path` is the loop, outermost first.
    pub(crate) fn cycle(service: &'static str, path: Vec<&'static str>) -> Self {
        let mut e = Self::new(ErrorKind::Cycle, service, None);
        e.repr.path = path.into_iter().rev().collect();
        e
    }

    /// The disposal of `owner` failed: `source` says how (a [`DisposeError`](crate::DisposeError)).
    pub(crate) fn disposal(owner: &'static str, source: BoxError) -> Self {
        Self::new(ErrorKind::Dispose, owner, Some(source))
    }

    /// No `scope` is entered for this task.
    pub(crate) fn no_current_scope(scope: &'static str) -> Self {
        Self::new(ErrorKind::NoCurrentScope, scope, None)
    }

    /// The creation of `service` did not finish within `limit`.
    pub(crate) fn timeout(service: &'static str, limit: std::time::Duration) -> Self {
        let mut e = Self::new(ErrorKind::Timeout, service, None);
        e.repr.limit = Some(limit);
        e
    }

    /// `service` is not created yet, and `get` cannot create it without awaiting.
    pub(crate) fn not_ready(service: &'static str) -> Self {
        let mut e = Self::new(ErrorKind::NotReady, service, None);
        e.repr.path.push(service);
        e
    }

    /// `container` is shutting down and opens no new scope.
    pub(crate) fn shutting_down(container: &'static str) -> Self {
        Self::new(ErrorKind::ShuttingDown, container, None)
    }

    #[cold]
    fn new(kind: ErrorKind, subject: &'static str, source: Option<BoxError>) -> Self {
        Error { repr: Box::new(Repr { kind, subject, path: Vec::new(), source, limit: None }) }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.repr.kind
    }

    /// The services that were being created when the failure happened, outermost first.
    pub fn path(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.repr.path.iter().rev().copied()
    }

    /// Records that the failure happened while `service` was being created.
    /// The runtime calls this as the error travels outwards.
    #[must_use]
    #[cold]
    pub(crate) fn within(mut self, service: &'static str) -> Self {
        // a run-time cycle already carries its whole loop
        if self.repr.kind != ErrorKind::Cycle {
            self.repr.path.push(service);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let subject = self.repr.subject;
        match (self.repr.kind, &self.repr.source) {
            (ErrorKind::NoCurrentScope, _) => {
                return write!(f, "no `{subject}` is entered for this task: run the code inside `scope.enter(..)`");
            }
            // the disposal error says it all: which container, which disposers, why
            (ErrorKind::Dispose, Some(source)) => return write!(f, "{source}"),
            (ErrorKind::Start, Some(source)) => {
                return write!(
                    f,
                    "hosted service `{subject}` failed to start (the hosted services started before it were stopped): {source}"
                );
            }
            _ => {}
        }
        f.write_str("failed to resolve")?;
        for (i, service) in self.path().enumerate() {
            f.write_str(if i == 0 { " " } else { " -> " })?;
            write!(f, "`{service}`")?;
        }
        match self.repr.kind {
            ErrorKind::Factory => write!(f, ": factory `{subject}` failed")?,
            ErrorKind::Init => write!(f, ": init of `{subject}` failed")?,
            ErrorKind::Disposed => write!(f, ": `{subject}` is disposed")?,
            ErrorKind::ContainerDropped => {
                write!(f, ": the container or scope behind this `Lazy`/`Provider`/`Assisted` of `{subject}` is gone")?
            }
            ErrorKind::Cycle => write!(
                f,
                ": dependency cycle at run time: `{subject}` awaited itself during its own construction; \
                 await the `Lazy`/`Provider` after construction (in a method), not in its init hook or factory"
            )?,
            ErrorKind::Timeout => match self.repr.limit {
                Some(limit) => {
                    write!(f, ": `{subject}` was not created within {limit:?} (the container's create timeout)")?
                }
                None => write!(f, ": `{subject}` was not created in time")?,
            },
            ErrorKind::ShuttingDown => {
                write!(f, ": `{subject}` is shutting down: a scope opened now cannot resolve anything")?
            }
            ErrorKind::Dispose => write!(f, ": disposing `{subject}` failed")?,
            ErrorKind::NotReady => write!(
                f,
                ": `{subject}` is not created yet, and creating it must be awaited (an init hook, an async factory, \
                 or another task creating it now): `get` does not wait; resolve it with `.await` once, or `start()` \
                 the container first"
            )?,
            ErrorKind::Start => write!(f, ": hosted service `{subject}` failed to start")?,
            ErrorKind::NoCurrentScope => unreachable!("handled above"),
        }
        if let Some(source) = &self.repr.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

/// `{:?}` prints what `Display` prints (the path and the cause), so that `fn main() ->
/// injectq::Result<()>`, `unwrap()` and `expect()` show a readable error; `{:#?}` prints the
/// fields.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            return fmt::Display::fmt(self, f);
        }
        f.debug_struct("Error")
            .field("kind", &self.repr.kind)
            .field("subject", &self.repr.subject)
            .field("path", &self.path().collect::<Vec<_>>())
            .field("source", &self.repr.source)
            .finish()
    }
}

/// What a build by plain calls, `now`, made (see [`Provide::provide_now`](crate::Provide::provide_now)),
/// as one `Result`: `None` if it could not be had now.
#[inline(always)]
pub(crate) fn now_result<T>(now: impl FnOnce(&mut Option<Error>) -> Option<T>) -> Option<Result<T>> {
    let mut failed = None;
    match now(&mut failed) {
        Some(value) => Some(Ok(value)),
        None => failed.map(Err),
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.repr.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispose::{Cause, DisposeError, DisposeFailure};

    #[test]
    fn debug_prints_the_display_and_the_alternate_form_the_fields() {
        let e = Error::factory("make_pool", "connection refused").within("Pool").within("Repo");
        assert_eq!(
            format!("{e:?}"),
            "failed to resolve `Repo` -> `Pool`: factory `make_pool` failed: connection refused"
        );
        assert_eq!(format!("{e:?}"), e.to_string());
        let fields = format!("{e:#?}");
        assert!(fields.contains("kind: Factory") && fields.contains("subject: \"make_pool\""), "{fields}");
    }

    #[test]
    fn a_dispose_error_becomes_an_error_that_keeps_it_as_its_source() {
        let failed =
            DisposeError::new("App", vec![DisposeFailure::new("Pool", Cause::error("the socket is closed".into()))]);
        let shown = failed.to_string();
        let e: Error = failed.into();
        assert_eq!(e.kind(), ErrorKind::Dispose);
        assert_eq!(e.to_string(), shown);
        assert_eq!(shown, "disposing `App`: 1 disposer failed; `Pool`: the socket is closed");
        let source = std::error::Error::source(&e).expect("the disposal error is kept");
        let kept = source.downcast_ref::<DisposeError>().expect("as a DisposeError");
        assert_eq!(kept.failures()[0].service(), "Pool");
    }
}
