//! Nested kinds of scope: a `scope MessageScope { .. }` declared inside `scope ConnectionScope
//! { .. }` is opened from a connection's scope, sees the connection's services and inputs (and
//! the container's), and is disposed before it, with its own outcome. A connection's service that
//! needs a message's is a compile error (tests/ui).

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, ErrorKind, Lazy, Outcome, container, injectable};
use support::bounded;

mod support;

/// Who is connected: a connection scope's input.
pub struct Peer(pub String);

/// One message of a connection: a message scope's input.
pub struct Frame(pub u64);

/// What each test's services did.
#[derive(Default)]
pub struct Log {
    sessions: AtomicUsize,
    handlers: AtomicUsize,
    disposed: Mutex<Vec<String>>,
}

impl Log {
    fn push(&self, what: String) {
        self.disposed.lock().unwrap().push(what);
    }

    fn disposed(&self) -> Vec<String> {
        self.disposed.lock().unwrap().clone()
    }
}

/// Shared by every connection and message.
#[injectable]
pub struct Pool {
    log: Arc<Log>,
}

/// A top-level transient, built wherever it is asked.
#[injectable]
pub struct Clock;

/// A connection's session: created once per connection.
#[injectable(init = Self::open, dispose)]
pub struct Session {
    peer: Arc<Peer>,
    pool: Arc<Pool>,
}

impl Session {
    async fn open(&mut self) {
        self.pool.log.sessions.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl AsyncDispose for Session {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        self.pool.log.push(format!("session {} {outcome}", self.peer.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A connection's transient: built in whichever scope asks, here or in a message's.
#[injectable]
pub struct Greeting {
    session: Arc<Session>,
}

/// A message's handler: created once per message, with the connection's session and peer.
#[injectable(init = Self::begin, dispose)]
pub struct Handler {
    session: Arc<Session>,
    peer: Arc<Peer>,
    frame: Arc<Frame>,
}

impl Handler {
    async fn begin(&mut self) {
        self.session.pool.log.handlers.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl AsyncDispose for Handler {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        self.session.pool.log.push(format!("message {} {outcome}", self.frame.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A message's acknowledgement: needs nothing of the connection's, and disposes.
#[injectable(dispose)]
pub struct Ack {
    frame: Arc<Frame>,
    pool: Arc<Pool>,
}

impl AsyncDispose for Ack {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        self.pool.log.push(format!("ack {} {outcome}", self.frame.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A message's transient.
#[injectable]
pub struct Reply {
    handler: Arc<Handler>,
    clock: Clock,
}

/// A step of a message, a third level: it reaches the connection's input through two levels.
#[injectable(dispose)]
pub struct Attempt {
    peer: Arc<Peer>,
    handler: Arc<Handler>,
}

impl AsyncDispose for Attempt {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        self.handler.session.pool.log.push(format!("attempt {} {outcome}", self.handler.frame.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

container! {
    pub struct App {
        value Log;
        singleton Pool;
        transient Clock;

        /// A connection: its peer and its session.
        scope ConnectionScope {
            input Peer;
            scoped Session;
            transient Greeting;

            /// A message of a connection.
            scope MessageScope {
                input Frame;
                scoped Handler;
                scoped Ack;
                transient Reply;

                /// A step of a message's handling.
                scope StepScope {
                    scoped Attempt;
                }
            }
        }
    }
}

fn app() -> (App, Arc<Log>) {
    let log = Arc::new(Log::default());
    (App::new(Arc::clone(&log)), log)
}

#[tokio::test]
async fn an_inner_scope_sees_its_outer_scopes_services_and_inputs() {
    let (app, log) = app();
    let connection = app.create_connection_scope_with(Peer("ada".into()));
    let session = connection.resolve::<Arc<Session>>().await.unwrap();
    let first = connection.create_message_scope_with(Frame(1));
    let second = connection.create_message_scope_with(Frame(2));

    let (one, two) = (first.resolve::<Arc<Handler>>().await.unwrap(), second.resolve::<Arc<Handler>>().await.unwrap());
    assert_eq!((one.frame.0, two.frame.0), (1, 2), "each message has its own input");
    assert!(!Arc::ptr_eq(&one, &two), "each message has its own handler");
    assert!(Arc::ptr_eq(&one.session, &session) && Arc::ptr_eq(&two.session, &session), "one session per connection");
    assert_eq!(one.peer.0, "ada", "a message sees its connection's input");
    assert!(Arc::ptr_eq(&first.resolve::<Arc<Peer>>().await.unwrap(), &one.peer));
    assert!(Arc::ptr_eq(&first.resolve::<Arc<Pool>>().await.unwrap(), &session.pool), "and the container's singletons");
    assert!(Arc::ptr_eq(&first.outer().resolve::<Arc<Session>>().await.unwrap(), &session), "its outer scope");

    // transients: the connection's, built in the message's scope from the connection's session;
    // the message's own; the container's
    let greeting: Greeting = first.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&greeting.session, &session));
    let reply: Reply = first.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&reply.handler, &one));
    let _ = (reply.clock, first.resolve::<Clock>().await.unwrap());

    // lazily, and through the current scope
    let lazy = first.resolve::<Lazy<Session>>().await.unwrap();
    assert!(Arc::ptr_eq(&lazy.get().await.unwrap(), &session));
    let frame = first.enter(async { MessageScope::current().unwrap().resolve::<Arc<Frame>>().await.unwrap().0 }).await;
    assert_eq!(frame, 1);

    // a third level reaches the first's input through the second
    let step = first.create_step_scope();
    let attempt = step.resolve::<Arc<Attempt>>().await.unwrap();
    assert!(Arc::ptr_eq(&attempt.handler, &one) && Arc::ptr_eq(&attempt.peer, &one.peer));
    assert!(Arc::ptr_eq(&step.resolve::<Arc<Session>>().await.unwrap(), &session));

    step.dispose().await.unwrap();
    first.dispose().await.unwrap();
    second.dispose().await.unwrap();
    connection.dispose().await.unwrap();
    assert_eq!(
        log.disposed(),
        ["attempt 1 completed", "message 1 completed", "message 2 completed", "session ada completed"]
    );
    assert_eq!((log.sessions.load(SeqCst), log.handlers.load(SeqCst)), (1, 2));
}

#[tokio::test]
async fn inner_scopes_are_disposed_before_their_outer_scope_each_with_its_own_outcome() {
    let (app, log) = app();
    let connection = app.create_connection_scope_with(Peer("ada".into()));
    connection.resolve::<Arc<Session>>().await.unwrap();

    // a message whose work failed
    let failed = connection
        .with_message_scope_with(Frame(1), |scope| async move {
            scope.resolve::<Arc<Handler>>().await?;
            Err::<(), _>(BoxError::from("the message was malformed"))
        })
        .await;
    assert!(failed.is_err());
    // a message, and a step of it, still open when the connection ends
    let open = connection.create_message_scope_with(Frame(2));
    open.resolve::<Arc<Handler>>().await.unwrap();
    let step = open.create_step_scope();
    step.resolve::<Arc<Attempt>>().await.unwrap();

    connection.dispose().await.unwrap();
    assert_eq!(
        log.disposed(),
        ["message 1 failed", "attempt 2 cancelled", "message 2 cancelled", "session ada completed"],
        "innermost first; the connection's own outcome is its own"
    );
    // what was open is disposed once: disposing it again changes nothing
    step.dispose().await.unwrap();
    open.dispose().await.unwrap();
    assert_eq!(log.disposed().len(), 4);
}

#[tokio::test]
async fn an_inner_scope_of_a_disposed_outer_scope_is_refused() {
    let (app, _log) = app();
    let connection = app.create_connection_scope_with(Peer("ada".into()));
    let before = connection.create_message_scope_with(Frame(1));
    connection.dispose().await.unwrap();

    // opened before the connection ended, with nothing to dispose: it cannot resolve any more,
    // also what needs nothing of the connection's
    let error = before.resolve::<Arc<Ack>>().await.err().expect("refused");
    assert_eq!(error.kind(), ErrorKind::Disposed, "{error}");
    assert!(error.to_string().contains("ConnectionScope"), "{error}");
    let error = before.get::<Arc<Frame>>().err().expect("refused");
    assert_eq!(error.kind(), ErrorKind::Disposed, "{error}");
    assert!(error.to_string().contains("ConnectionScope"), "{error}");
    // opened after
    let after = connection.create_message_scope_with(Frame(2));
    let error = after.resolve::<Arc<Ack>>().await.err().expect("refused");
    assert_eq!(error.kind(), ErrorKind::Disposed, "{error}");
    assert!(error.to_string().contains("ConnectionScope"), "{error}");
    let error = after.create_step_scope().resolve::<Arc<Frame>>().await.err().expect("refused");
    assert_eq!(error.kind(), ErrorKind::Disposed, "{error}");
}

/// One connection, 200 messages on several threads: the connection's session is created once and
/// shared by every message; each message creates its own handler once and disposes it once; the
/// session is disposed last.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_messages_of_one_connection_share_its_session_and_dispose_once_each() {
    let (app, log) = app();
    let connection = app.create_connection_scope_with(Peer("ada".into()));
    let tasks: Vec<_> = (0..200u64)
        .map(|i| {
            let connection = connection.clone();
            tokio::spawn(async move {
                let message = connection.create_message_scope_with(Frame(i));
                let (a, b) = tokio::join!(message.resolve::<Arc<Handler>>(), message.resolve::<Reply>());
                let (a, b) = (a.unwrap(), b.unwrap());
                assert!(Arc::ptr_eq(&a, &b.handler), "a message's handler is created once");
                assert_eq!(a.frame.0, i);
                let session = connection.resolve::<Arc<Session>>().await.unwrap();
                assert!(Arc::ptr_eq(&a.session, &session));
                if i % 2 == 0 {
                    message.dispose().await.unwrap();
                } else {
                    // dropped: disposed in the background, before the connection
                    drop(message);
                }
            })
        })
        .collect();
    for task in bounded("the messages", futures_util::future::join_all(tasks)).await {
        task.unwrap();
    }
    bounded("the connection's disposal", connection.dispose()).await.unwrap();
    bounded("the background disposals", support::eventually("201 disposed", || log.disposed().len() == 201)).await;
    let disposed = log.disposed();
    assert_eq!(disposed.last().map(String::as_str), Some("session ada completed"), "{disposed:?}");
    assert_eq!((log.sessions.load(SeqCst), log.handlers.load(SeqCst)), (1, 200));
    let mut frames: Vec<u64> =
        disposed.iter().filter_map(|d| d.strip_prefix("message ")?.split(' ').next()?.parse().ok()).collect();
    frames.sort_unstable();
    assert_eq!(frames, (0..200).collect::<Vec<_>>(), "each message disposed once");
}

/// Many connections, each with messages, some of both left open: `shutdown` reaches every
/// message's services, also in a connection that created nothing of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_disposes_messages_left_open_in_connections_left_open() {
    let (app, log) = app();
    let mut open = Vec::new();
    for c in 0..20u64 {
        let connection = app.create_connection_scope_with(Peer(format!("peer{c}")));
        for m in 0..10u64 {
            let message = connection.create_message_scope_with(Frame(c * 100 + m));
            message.resolve::<Arc<Ack>>().await.unwrap();
            if m % 2 == 0 {
                message.dispose().await.unwrap();
            } else {
                open.push(message);
            }
        }
        open.push(connection.create_message_scope_with(Frame(9999)));
        drop(connection);
    }
    let error = bounded("shutdown", app.shutdown(Duration::from_millis(50))).await.unwrap_err();
    assert!(error.to_string().contains("20"), "the 20 connections still open are reported: {error}");
    let disposed = log.disposed();
    assert_eq!(disposed.iter().filter(|d| d.ends_with(" completed")).count(), 100);
    assert_eq!(disposed.iter().filter(|d| d.ends_with(" cancelled")).count(), 100, "{disposed:?}");
    drop(open);
}

/// A connection still open when the container's shutdown begins keeps serving its messages until
/// it ends: the shutdown waits for it, and refuses new connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_in_flight_serves_its_messages_while_the_container_shuts_down() {
    let (app, log) = app();
    let connection = app.create_connection_scope_with(Peer("ada".into()));
    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown(Duration::from_secs(10)).await }
    });
    let refused = |e: injectq::Error| e.kind() == ErrorKind::ShuttingDown;
    support::eventually("the shutdown began", || {
        app.create_connection_scope_with(Peer("late".into())).get::<Arc<Peer>>().is_err_and(refused)
    })
    .await;
    let message = connection.create_message_scope_with(Frame(1));
    assert_eq!(message.resolve::<Arc<Handler>>().await.unwrap().frame.0, 1);
    message.dispose().await.unwrap();
    connection.dispose().await.unwrap();
    bounded("shutdown", shutdown).await.unwrap().unwrap();
    assert_eq!(log.disposed(), ["message 1 completed", "session ada completed"]);
}

/// Nested kinds declared by a module, imported by production and by a test container (each in a
/// Rust module of its own, where each declares the kinds' types), with `Lazy` and `Provider` of
/// the outer kind's service in the inner kind's.
mod imported {
    use std::sync::Arc;

    use injectq::{Lazy, Provider, injectable};

    pub struct Peer(pub String);
    pub struct Frame(pub u64);

    #[injectable]
    pub struct Session {
        pub peer: Arc<Peer>,
    }

    #[injectable]
    pub struct Handler {
        pub session: Arc<Session>,
        pub frame: Arc<Frame>,
        pub later: Provider<Arc<Session>>,
        pub lazy: Lazy<Session>,
    }

    injectq::module! {
        pub sockets {
            scope ConnectionScope {
                input crate::imported::Peer;
                scoped crate::imported::Session;

                scope MessageScope {
                    input crate::imported::Frame;
                    scoped crate::imported::Handler;
                }
            }
        }
    }

    pub mod production {
        injectq::container! {
            pub struct App {
                import super::sockets;
            }
        }
    }

    pub mod testing {
        #[injectq::injectable]
        pub struct Fake;

        injectq::container! {
            pub struct TestApp {
                import super::sockets;
                singleton Fake;
            }
        }
    }
}

#[tokio::test]
async fn nested_kinds_from_a_module_serve_production_and_a_test_container() {
    use imported::{Frame, Handler, Peer};

    let app = imported::production::App::new();
    let connection = app.create_connection_scope_with(Peer("ada".into()));
    let message = connection.create_message_scope_with(Frame(1));
    let handler = message.resolve::<Arc<Handler>>().await.unwrap();
    assert!(Arc::ptr_eq(&handler.later.get().await.unwrap(), &handler.session));
    assert!(Arc::ptr_eq(&handler.lazy.get().await.unwrap(), &handler.session));
    assert_eq!((handler.session.peer.0.as_str(), handler.frame.0), ("ada", 1));

    let test = imported::testing::TestApp::new();
    let connection = test.create_connection_scope_with(Peer("bob".into()));
    let message = connection.create_message_scope_with(Frame(2));
    assert_eq!(message.resolve::<Arc<Handler>>().await.unwrap().session.peer.0, "bob");
    test.resolve::<Arc<imported::testing::Fake>>().await.unwrap();
    message.dispose().await.unwrap();
    connection.dispose().await.unwrap();
    bounded("shutdown", test.shutdown(Duration::from_secs(10))).await.unwrap();
}
