//! The `tracing` feature: a span per shared creation with its service and duration, start-up
//! progress, and a warning when a scope is dropped without `dispose()`.

use std::sync::Arc;

use injectq::{AsyncDispose, BoxError, container, injectable};

mod support;
use support::Capture;

#[injectable]
pub struct Pool;

#[injectable(dispose)]
pub struct Session;

impl AsyncDispose for Session {
    async fn dispose(&self) -> Result<(), BoxError> {
        Ok(())
    }
}

/// Needs the singleton: created by plain calls once `Pool` is, by the async path before.
#[injectable]
pub struct Ledger {
    _pool: Arc<Pool>,
}

container! {
    pub struct App {
        singleton Pool;
        scoped Session;
        scoped Ledger;
    }
}

fn traced(work: impl std::future::Future<Output = ()>) -> Vec<String> {
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(work);
    });
    capture.0.lock().map(|lines| lines.clone()).unwrap()
}

#[test]
fn creations_are_spans_with_their_service_and_duration_and_start_up_reports_progress() {
    let lines = traced(async {
        let app = App::new();
        app.start().await.unwrap();
        app.create_scope().resolve::<Arc<Session>>().await.unwrap();
    });
    let span = lines.iter().find(|l| l.contains("service=\"Pool\"")).expect("a span for the singleton");
    assert!(span.starts_with("span injectq.create service=\"Pool\" container=\"App\" elapsed_us="), "{span}");
    assert!(lines.iter().any(|l| l.contains("service=\"Session\" container=\"AppScope\" elapsed_us=")), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("INFO") && l.contains("starting `App`: creating 1 singleton(s)")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("INFO") && l.contains("`App` started in")), "{lines:?}");
}

#[test]
fn each_creation_is_one_span_whichever_path_creates_it() {
    let lines = traced(async {
        let app = App::new();
        let (first, second) = (app.create_scope(), app.create_scope());
        // `Pool` is not created: `Ledger` cannot be created by plain calls, and its creation
        // awaits `Pool`'s; in the second scope it can
        first.resolve::<Arc<Ledger>>().await.unwrap();
        second.resolve::<Arc<Ledger>>().await.unwrap();
    });
    let spans = |service: &str| lines.iter().filter(|l| l.contains(&format!("service=\"{service}\""))).count();
    assert_eq!(spans("Pool"), 1, "{lines:?}");
    assert_eq!(spans("Ledger"), 2, "one span per creation, none for an attempt that built nothing: {lines:?}");
}

#[test]
fn a_scope_dropped_without_dispose_is_a_warning() {
    let lines = traced(async {
        let scope = App::new().create_scope();
        scope.resolve::<Arc<Session>>().await.unwrap();
        drop(scope);
        tokio::task::yield_now().await;
    });
    assert!(
        lines.iter().any(|l| l.starts_with("WARN") && l.contains("`AppScope` was dropped without `dispose().await`")),
        "{lines:?}"
    );
}

#[test]
fn scopes_lost_with_their_runtime_and_container_are_named_in_an_error() {
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        let app = App::new();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            for _ in 0..3 {
                let scope = app.create_scope();
                tokio::spawn(async move {
                    scope.resolve::<Arc<Session>>().await.unwrap();
                    std::future::pending::<()>().await;
                });
            }
            tokio::task::yield_now().await; // the tasks hold their sessions now
        });
        // the tasks and their scopes go with the runtime, and then the container, with nothing
        // left to run a disposer on
        drop(runtime);
        drop(app);
    });
    let lines = capture.0.lock().unwrap();
    let errors: Vec<_> = lines.iter().filter(|l| l.starts_with("ERROR")).collect();
    assert_eq!(errors.len(), 3, "one per scope: {lines:?}");
    // no warning that they are being disposed on the runtime, which dropped that work unrun
    assert!(!lines.iter().any(|l| l.starts_with("WARN")), "{lines:?}");
    for error in errors {
        assert!(error.contains("`AppScope` was not disposed: no tokio runtime was left"), "{error}");
        assert!(error.contains(r#"not_disposed=["Session"]"#), "{error}");
    }
}

/// A choice (`dyn T => match ..`) says what it chose: a singleton's at start-up, at `INFO`.
mod choices {
    use super::*;

    pub trait Store: Send + Sync {}

    #[injectable]
    pub struct Disk;
    impl Store for Disk {}

    #[injectable]
    pub struct Memory;
    impl Store for Memory {}

    pub struct Durable(pub bool);

    container! {
        pub struct Chooser {
            value Durable;
            singleton dyn Store => match Durable {
                Durable(true) => Disk,
                Durable(false) => Memory,
            };
        }
    }

    #[test]
    fn start_logs_each_choice_with_the_selector() {
        let lines = traced(async {
            Chooser::new(Arc::new(Durable(false))).start().await.unwrap();
        });
        let chose: Vec<_> = lines.iter().filter(|l| l.contains("chose")).collect();
        assert_eq!(chose.len(), 1, "{lines:?}");
        assert!(chose[0].starts_with("INFO"), "{chose:?}");
        assert!(chose[0].contains("service=\"dyn Store\" chosen=\"Memory\" by=\"Durable\""), "{chose:?}");
    }
}
