//! Decorators: `decorate T = f;` wraps a registered service in `f`, a `#[factory]` whose
//! `#[inner]` parameter takes it, in declaration order (the first line innermost). A shared
//! service's decorated value is built once; a binding's implementation keeps its own instance; a
//! decorator's dependencies come from the same container or scope; a decorator may be async.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use injectq::{AsyncDispose, BoxError, ErrorKind, container, factory, injectable};
use support::bounded;

mod support;

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

/// What each test's services did.
#[derive(Default)]
pub struct Log {
    built: AtomicUsize,
    decorated: AtomicUsize,
    disposed: Mutex<Vec<&'static str>>,
}

/// The implementation, built by its own registration.
#[injectable(init = Self::open, dispose)]
pub struct Smtp {
    log: Arc<Log>,
}

impl Smtp {
    async fn open(&mut self) {
        self.log.built.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("smtp:{to}")
    }
}

impl AsyncDispose for Smtp {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.disposed.lock().unwrap().push("smtp");
        Ok(())
    }
}

struct Wrapped {
    how: &'static str,
    inner: Arc<dyn Mailer>,
}

impl Mailer for Wrapped {
    fn send(&self, to: &str) -> String {
        format!("{}({})", self.how, self.inner.send(to))
    }
}

/// Counts each send: a decorator with a dependency of its own.
#[factory]
fn counted(#[inner] inner: Arc<dyn Mailer>, log: Arc<Log>) -> Arc<dyn Mailer> {
    log.decorated.fetch_add(1, SeqCst);
    Arc::new(Wrapped { how: "counted", inner })
}

/// Retries: an async decorator.
#[factory]
async fn retried(#[inner] inner: Arc<dyn Mailer>) -> Arc<dyn Mailer> {
    tokio::task::yield_now().await;
    Arc::new(Wrapped { how: "retried", inner })
}

/// Who a request is for: a scope's input.
pub struct Caller(pub String);

/// Signs each mail with the request's caller: a decorator of a scoped service.
#[factory]
fn signed(#[inner] inner: Arc<dyn Greeter>, caller: Arc<Caller>) -> Arc<dyn Greeter> {
    Arc::new(Signed { inner, caller })
}

pub trait Greeter: Send + Sync {
    fn greet(&self) -> String;
}

#[injectable]
pub struct Hello;

impl Greeter for Hello {
    fn greet(&self) -> String {
        "hello".into()
    }
}

struct Signed {
    inner: Arc<dyn Greeter>,
    caller: Arc<Caller>,
}

impl Greeter for Signed {
    fn greet(&self) -> String {
        format!("{}, {}", self.inner.greet(), self.caller.0)
    }
}

/// A concrete type, decorated by a factory that returns the same type.
#[injectable]
pub struct Limits {
    #[inject(default = 10)]
    max: u32,
}

#[factory]
fn doubled(#[inner] inner: Arc<Limits>) -> Limits {
    Limits { max: inner.max * 2 }
}

container! {
    pub struct App {
        value Log;
        singleton dyn Mailer => Smtp;
        decorate dyn Mailer = counted;
        decorate dyn Mailer = retried;
        singleton Limits;
        decorate Limits = doubled;
        decorate Limits = doubled;
        input Caller;
        scoped dyn Greeter => Hello;
        decorate dyn Greeter = signed;
    }
}

fn app() -> (App, Arc<Log>) {
    let log = Arc::new(Log::default());
    (App::new(Arc::clone(&log)), log)
}

#[tokio::test]
async fn decorators_apply_in_declaration_order_the_first_innermost() {
    let (app, _log) = app();
    let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
    assert_eq!(mailer.send("ada"), "retried(counted(smtp:ada))");
    assert_eq!(app.resolve::<Arc<Limits>>().await.unwrap().max, 40, "a concrete type, decorated twice");
}

#[tokio::test]
async fn a_decorated_binding_keeps_its_implementations_one_instance() {
    let (app, log) = app();
    let smtp = app.resolve::<Arc<Smtp>>().await.unwrap();
    assert_eq!(smtp.send("ada"), "smtp:ada", "the implementation itself is not decorated");
    let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
    assert_eq!(mailer.send("ada"), "retried(counted(smtp:ada))");
    assert_eq!(log.built.load(SeqCst), 1, "the decorated binding wraps the implementation's instance");
    app.dispose().await.unwrap();
    assert_eq!(*log.disposed.lock().unwrap(), ["smtp"], "and it is disposed once");
}

/// 64 resolves at once, on several threads: the decorated singleton is built once, each decorator
/// called once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_decorated_singleton_is_built_once_under_concurrency() {
    let (app, log) = app();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.resolve::<Arc<dyn Mailer>>().await.unwrap() })
        })
        .collect();
    let mailers = bounded("the resolves", futures_util::future::join_all(tasks)).await;
    let first = mailers[0].as_ref().unwrap();
    for mailer in &mailers {
        assert!(Arc::ptr_eq(first, mailer.as_ref().unwrap()), "one decorated instance");
    }
    assert_eq!((log.built.load(SeqCst), log.decorated.load(SeqCst)), (1, 1));
}

#[tokio::test]
async fn a_scoped_services_decorator_sees_the_scope() {
    let (app, _log) = app();
    let ada = app.create_scope_with(Caller("ada".into()));
    let grace = app.create_scope_with(Caller("grace".into()));
    let greeter = ada.resolve::<Arc<dyn Greeter>>().await.unwrap();
    assert_eq!(greeter.greet(), "hello, ada");
    assert_eq!(grace.resolve::<Arc<dyn Greeter>>().await.unwrap().greet(), "hello, grace");
    assert!(Arc::ptr_eq(&greeter, &ada.resolve::<Arc<dyn Greeter>>().await.unwrap()), "one per scope");
}

/// A decorator that fails: the resolve fails with its error, and the instance it was given is
/// still disposed.
mod failing {
    use super::*;

    #[factory]
    fn refuse(#[inner] _inner: Arc<dyn Mailer>) -> Result<Arc<dyn Mailer>, BoxError> {
        Err("the relay is down".into())
    }

    container! {
        pub struct Failing {
            value Log;
            singleton dyn Mailer => Smtp;
            decorate dyn Mailer = refuse;
        }
    }

    #[tokio::test]
    async fn a_failing_decorator_fails_the_resolve() {
        let log = Arc::new(Log::default());
        let app = Failing::new(Arc::clone(&log));
        let error = app.resolve::<Arc<dyn Mailer>>().await.err().expect("the decorator failed");
        assert_eq!(error.kind(), ErrorKind::Factory, "{error}");
        assert!(error.to_string().contains("the relay is down"), "{error}");
        // the implementation's own instance stays, and is disposed with the container
        app.dispose().await.unwrap();
        assert_eq!(*log.disposed.lock().unwrap(), ["smtp"]);
    }
}

/// Decorators declared by a module, applied in the container that imports it.
mod from_a_module {
    use super::*;

    injectq::module! {
        pub mail {
            value crate::Log;
            singleton dyn crate::Mailer => crate::Smtp;
            decorate dyn crate::Mailer = crate::retried;
        }
    }

    container! {
        #[provides(MailServices)]
        pub struct Imported {
            import mail;
        }
    }

    /// The fake of a test container.
    #[injectable]
    pub struct Fake;

    impl Mailer for Fake {
        fn send(&self, to: &str) -> String {
            format!("fake:{to}")
        }
    }

    /// A test container in a module of its own, that overrides the decorated binding: the
    /// module's decorator applies to the override, which names the trait by another path.
    mod testing {
        injectq::container! {
            pub struct TestImported {
                import super::mail;
                override singleton dyn crate::Mailer => crate::from_a_module::Fake;
            }
        }
    }

    /// Production code, written once against the `#[provides]` trait.
    async fn send<C: MailServices>(app: &C) -> String {
        app.resolve::<Arc<dyn Mailer>>().await.unwrap().send("ada")
    }

    #[tokio::test]
    async fn a_modules_decorator_applies_in_the_importing_container_and_to_a_test_override() {
        let app = Imported::new(Arc::new(Log::default()));
        assert_eq!(send(&app).await, "retried(smtp:ada)");
        let test = testing::TestImported::new(Arc::new(Log::default()));
        assert_eq!(send(&test).await, "retried(fake:ada)");
    }
}

/// Decorators of transients: each resolve builds a new value and decorates it; a transient's
/// decorator takes and returns it by value (`T`, or `Box<dyn T>` for a trait object).
mod transients {
    use super::*;

    pub trait Codec: Send + Sync {
        fn name(&self) -> String;
    }

    #[injectable]
    pub struct Json;

    impl Codec for Json {
        fn name(&self) -> String {
            "json".into()
        }
    }

    struct Gzip(Box<dyn Codec>);

    impl Codec for Gzip {
        fn name(&self) -> String {
            format!("gzip({})", self.0.name())
        }
    }

    #[factory]
    async fn gzip(#[inner] inner: Box<dyn Codec>, log: Arc<Log>) -> Box<dyn Codec> {
        log.decorated.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
        Box::new(Gzip(inner))
    }

    #[factory]
    fn tripled(#[inner] inner: Limits) -> Limits {
        Limits { max: inner.max * 3 }
    }

    container! {
        pub struct Transients {
            value Log;
            transient dyn Codec => Json;
            decorate dyn Codec = gzip;
            transient Limits;
            decorate Limits = doubled_value;
            decorate Limits = tripled;
        }
    }

    #[factory]
    fn doubled_value(#[inner] inner: Limits) -> Limits {
        Limits { max: inner.max * 2 }
    }

    #[tokio::test]
    async fn each_resolve_of_a_transient_is_decorated_in_every_shape() {
        let log = Arc::new(Log::default());
        let app = Transients::new(Arc::clone(&log));
        let scope = app.create_scope();
        assert_eq!(scope.resolve::<Box<dyn Codec>>().await.unwrap().name(), "gzip(json)");
        assert_eq!(scope.resolve::<Arc<dyn Codec>>().await.unwrap().name(), "gzip(json)");
        assert_eq!(app.resolve::<Box<dyn Codec>>().await.unwrap().name(), "gzip(json)", "from the root too");
        assert_eq!(log.decorated.load(SeqCst), 3, "a new value, decorated, each time");
        assert_eq!(scope.resolve::<Limits>().await.unwrap().max, 60, "in order: doubled, then tripled");
        assert_eq!(app.resolve::<Arc<Limits>>().await.unwrap().max, 60);
        assert_eq!(app.resolve::<Option<Limits>>().await.unwrap().map(|l| l.max), Some(60));
    }
}

/// A decorator declared `, dispose` (or `, dispose = hook`): what it returns is disposed with the
/// service, before the value it decorates; each disposer on its own terms.
mod disposing {
    use super::*;

    /// A mailer that keeps mails until it is flushed: a decorator with something to dispose.
    pub struct Buffered {
        name: &'static str,
        inner: Arc<dyn Mailer>,
        log: Arc<Log>,
        fail: bool,
    }

    impl Mailer for Buffered {
        fn send(&self, to: &str) -> String {
            format!("{}({})", self.name, self.inner.send(to))
        }
    }

    impl AsyncDispose for Buffered {
        async fn dispose(&self) -> Result<(), BoxError> {
            self.log.disposed.lock().unwrap().push(self.name);
            if self.fail { Err(format!("{} could not flush", self.name).into()) } else { Ok(()) }
        }
    }

    #[factory]
    async fn buffered(#[inner] inner: Arc<dyn Mailer>, log: Arc<Log>) -> Buffered {
        tokio::task::yield_now().await;
        Buffered { name: "buffered", inner, log, fail: false }
    }

    #[factory]
    fn failing_flush(#[inner] inner: Arc<dyn Mailer>, log: Arc<Log>) -> Buffered {
        Buffered { name: "failing", inner, log, fail: true }
    }

    /// A decorator disposed by a hook.
    pub struct Audited(Arc<dyn Mailer>, Arc<Log>);

    impl Mailer for Audited {
        fn send(&self, to: &str) -> String {
            format!("audited({})", self.0.send(to))
        }
    }

    #[factory]
    fn audited(#[inner] inner: Arc<dyn Mailer>, log: Arc<Log>) -> Audited {
        Audited(inner, log)
    }

    async fn close_audit(audit: &Audited) {
        audit.1.disposed.lock().unwrap().push("audit");
    }

    container! {
        pub struct Disposing {
            value Log;
            singleton dyn Mailer => Smtp;
            decorate dyn Mailer = buffered, dispose;
            decorate dyn Mailer = counted;
            decorate dyn Mailer = audited, dispose = close_audit;
        }
    }

    #[tokio::test]
    async fn a_decorators_output_is_disposed_before_what_it_decorates() {
        let log = Arc::new(Log::default());
        let app = Disposing::new(Arc::clone(&log));
        let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
        assert_eq!(mailer.send("ada"), "audited(counted(buffered(smtp:ada)))");
        bounded("the disposal", app.dispose()).await.unwrap();
        assert_eq!(*log.disposed.lock().unwrap(), ["audit", "buffered", "smtp"], "outermost first");
    }

    container! {
        pub struct FailingFlush {
            value Log;
            singleton dyn Mailer => Smtp;
            decorate dyn Mailer = failing_flush, dispose;
            decorate dyn Mailer = buffered, dispose;
        }
    }

    #[tokio::test]
    async fn a_decorator_that_fails_to_dispose_is_reported_and_the_rest_still_run() {
        let log = Arc::new(Log::default());
        let app = FailingFlush::new(Arc::clone(&log));
        app.resolve::<Arc<dyn Mailer>>().await.unwrap();
        let error = bounded("the disposal", app.dispose()).await.expect_err("a disposer failed");
        assert_eq!(error.failures().len(), 1, "{error}");
        assert_eq!(error.failures()[0].service(), "failing_flush (decorates dyn Mailer)", "{error}");
        assert_eq!(*log.disposed.lock().unwrap(), ["buffered", "failing", "smtp"]);
    }

    #[factory]
    fn refuse(#[inner] _inner: Arc<dyn Mailer>) -> Result<Arc<dyn Mailer>, BoxError> {
        Err("the relay is down".into())
    }

    container! {
        pub struct RefusedLater {
            value Log;
            singleton dyn Mailer => Smtp;
            decorate dyn Mailer = buffered, dispose;
            decorate dyn Mailer = refuse;
        }
    }

    container! {
        pub struct RefusedPlainly {
            value Log;
            singleton dyn Mailer => Smtp;
            decorate dyn Mailer = failing_flush, dispose;
            decorate dyn Mailer = refuse;
        }
    }

    /// A later decorator fails where no tokio runtime runs (the resolve polled by another
    /// executor, here by hand): what the earlier one built cannot be disposed, and that is logged
    /// as an error naming it, not lost in silence.
    #[test]
    fn when_a_later_decorator_fails_with_no_runtime_the_undisposed_value_is_reported() {
        use std::task::{Context, Poll, Waker};
        let capture = support::Capture::default();
        let log = Arc::new(Log::default());
        tracing::subscriber::with_default(capture.clone(), || {
            let app = RefusedPlainly::new(Arc::clone(&log));
            let mut resolve = std::pin::pin!(app.resolve::<Arc<dyn Mailer>>());
            // every part of it is synchronous: it is done within a few polls
            let resolved = (0..100)
                .find_map(|_| match resolve.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                    Poll::Ready(resolved) => Some(resolved),
                    Poll::Pending => None,
                })
                .expect("done without a runtime");
            let error = resolved.err().expect("the decorator failed");
            assert!(error.to_string().contains("the relay is down"), "{error}");
        });
        assert!(log.disposed.lock().unwrap().is_empty(), "nothing could run it");
        let lines = capture.lines();
        assert!(
            lines.iter().any(|line| line.starts_with("ERROR")
                && line.contains("failing_flush (decorates dyn Mailer)")
                && line.contains("not disposed")),
            "{lines:#?}"
        );
    }

    /// A later decorator fails: what the earlier ones built is disposed at once, in the
    /// background; the implementation's own instance stays, for the container to dispose.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn when_a_later_decorator_fails_the_earlier_ones_are_disposed() {
        let log = Arc::new(Log::default());
        let app = RefusedLater::new(Arc::clone(&log));
        let error = app.resolve::<Arc<dyn Mailer>>().await.err().expect("the decorator failed");
        assert!(error.to_string().contains("the relay is down"), "{error}");
        support::eventually("the buffer is disposed", || log.disposed.lock().unwrap().as_slice() == ["buffered"]).await;
        app.dispose().await.unwrap();
        assert_eq!(*log.disposed.lock().unwrap(), ["buffered", "smtp"]);
    }
}

/// A scoped binding, decorated, over a singleton implementation: each scope decorates the one
/// instance with what it knows (its caller); the implementation is built once.
mod scoped_view {
    use super::*;

    #[factory]
    fn signed_mail(#[inner] inner: Arc<dyn Mailer>, caller: Arc<Caller>) -> Arc<dyn Mailer> {
        Arc::new(Wrapped { how: if caller.0 == "ada" { "ada" } else { "someone" }, inner })
    }

    container! {
        pub struct Views {
            value Log;
            input Caller;
            singleton Smtp;
            scoped dyn Mailer => Smtp;
            decorate dyn Mailer = signed_mail;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_scope_decorates_the_one_instance() {
        let log = Arc::new(Log::default());
        let app = Views::new(Arc::clone(&log));
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let app = app.clone();
                tokio::spawn(async move {
                    let caller = if i % 2 == 0 { "ada" } else { "grace" };
                    let scope = app.create_scope_with(Caller(caller.into()));
                    let sent = scope.resolve::<Arc<dyn Mailer>>().await.unwrap().send("x");
                    scope.dispose().await.unwrap();
                    (caller, sent)
                })
            })
            .collect();
        for done in bounded("the scopes", futures_util::future::join_all(tasks)).await {
            let (caller, sent) = done.unwrap();
            let expected = if caller == "ada" { "ada(smtp:x)" } else { "someone(smtp:x)" };
            assert_eq!(sent, expected);
        }
        assert_eq!(log.built.load(SeqCst), 1, "one implementation under every scope's view");
        app.dispose().await.unwrap();
        assert_eq!(*log.disposed.lock().unwrap(), ["smtp"]);
    }
}
