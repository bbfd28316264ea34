//! Scope inputs (`input T;`): values given to each scope when it is opened (the caller, a request
//! id, a job's payload), which its services depend on like on any registration. A scope cannot be
//! opened without them: `create_scope_with` takes them, as the input's value or a tuple of them in
//! declaration order, and `create_scope()` does not compile (`tests/ui` shows the errors). Through
//! axum, they are taken from the request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::get;
use injectq::axum::{Inject, InjectqRouter, ScopeLayer};
use injectq::{AsyncDispose, BoxError, Container, ScopeFactory, container, injectable};
use support::bounded;

mod support;

/// Who is asking.
#[derive(Debug, PartialEq)]
pub struct Caller(pub String);

/// The request's id.
pub struct RequestId(pub u64);

/// Counts the scoped services made and disposed.
#[derive(Default)]
pub struct Counts {
    made: AtomicUsize,
    disposed: AtomicUsize,
}

/// A scoped service built from the scope's inputs.
#[injectable(init = count, dispose)]
pub struct Greeting {
    caller: Arc<Caller>,
    request: Arc<RequestId>,
    counts: Arc<Counts>,
}

impl Greeting {
    async fn count(&mut self) {
        self.counts.made.fetch_add(1, SeqCst);
    }

    fn text(&self) -> String {
        format!("hello {} (request {})", self.caller.0, self.request.0)
    }
}

impl AsyncDispose for Greeting {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.counts.disposed.fetch_add(1, SeqCst);
        Ok(())
    }
}

/// A transient that needs an input: resolved from a scope.
#[injectable]
pub struct Audit {
    caller: Arc<Caller>,
}

container! {
    pub struct App {
        value Counts;
        input Caller;
        input RequestId;
        scoped Greeting;
        transient Audit;
    }
}

fn app() -> App {
    App::new(Counts::default())
}

#[tokio::test]
async fn a_scope_is_opened_with_its_inputs_and_its_services_depend_on_them() {
    let app = app();
    let scope = app.create_scope_with((Caller("ada".into()), RequestId(7)));
    let greeting = scope.resolve::<Arc<Greeting>>().await.unwrap();
    assert_eq!(greeting.text(), "hello ada (request 7)");
    let caller = scope.resolve::<Arc<Caller>>().await.unwrap();
    assert!(Arc::ptr_eq(&caller, &greeting.caller), "an input is one instance per scope");
    let audit: Audit = scope.resolve().await.unwrap();
    assert_eq!(audit.caller.0, "ada");
}

/// One way to open a scope: the same call with the same inputs on the container, on the
/// `Container` trait and on a `ScopeFactory`.
#[tokio::test]
async fn the_container_the_trait_and_a_scope_factory_open_a_scope_with_the_same_inputs() {
    let app = app();
    let inputs = || (Caller("alan".into()), RequestId(2));
    let factory = app.resolve::<ScopeFactory<App>>().await.unwrap();
    let scopes = [
        app.create_scope_with(inputs()),
        Container::create_scope_with(&app, inputs()),
        factory.create_scope_with(inputs()).unwrap(),
    ];
    for scope in scopes {
        assert_eq!(scope.resolve::<Arc<Greeting>>().await.unwrap().text(), "hello alan (request 2)");
        scope.dispose().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_scopes_each_see_their_own_inputs() {
    let app = app();
    let tasks: Vec<_> = (0..200u64)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let scope = app.create_scope_with((Caller(format!("user{i}")), RequestId(i)));
                let text = scope.resolve::<Arc<Greeting>>().await.unwrap().text();
                scope.dispose().await.unwrap();
                (i, text)
            })
        })
        .collect();
    bounded("200 scopes", async {
        for task in tasks {
            let (i, text) = task.await.unwrap();
            assert_eq!(text, format!("hello user{i} (request {i})"));
        }
    })
    .await;
    let counts = app.resolve::<Arc<Counts>>().await.unwrap();
    assert_eq!((counts.made.load(SeqCst), counts.disposed.load(SeqCst)), (200, 200));
}

#[tokio::test]
async fn with_scope_takes_the_inputs_first() {
    let app = app();
    let text = app
        .with_scope_with((Caller("ada".into()), RequestId(3)), |scope| async move {
            Ok::<_, injectq::Error>(scope.resolve::<Arc<Greeting>>().await?.text())
        })
        .await
        .unwrap();
    assert_eq!(text, "hello ada (request 3)");
    let counts = app.resolve::<Arc<Counts>>().await.unwrap();
    assert_eq!(counts.disposed.load(SeqCst), 1, "the scope was disposed");
}

#[test]
fn the_graph_shows_the_inputs() {
    let mermaid = App::graph().to_mermaid();
    assert!(mermaid.contains("Caller") && mermaid.contains("input"), "{mermaid}");
}

mod worker {
    use super::*;

    /// A job's payload, the input of the job's scope.
    pub struct Order(pub String);

    #[injectable]
    pub struct Checkout {
        order: Arc<Order>,
    }

    /// Opens a scope per job, with the job's payload.
    #[injectable]
    pub struct Worker {
        scopes: ScopeFactory<Jobs>,
    }

    container! {
        pub struct Jobs {
            singleton Worker;
            input Order;
            scoped Checkout;
        }
    }

    #[tokio::test]
    async fn a_worker_opens_each_job_s_scope_with_its_payload() {
        let jobs = Jobs::new();
        let worker = jobs.resolve::<Arc<Worker>>().await.unwrap();
        for item in ["book", "lamp"] {
            let scope = worker.scopes.create_scope_with(Order(item.into())).unwrap();
            assert_eq!(scope.resolve::<Arc<Checkout>>().await.unwrap().order.0, item);
            scope.dispose().await.unwrap();
        }
    }
}

mod web {
    use super::*;

    async fn hello(Inject(greeting): Inject<Arc<Greeting>>) -> String {
        greeting.text()
    }

    /// The inputs from the request's headers; a request without `x-user` is refused.
    fn from_headers(parts: &mut Parts) -> Result<(Caller, RequestId), (StatusCode, &'static str)> {
        let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let user = header("x-user").ok_or((StatusCode::UNAUTHORIZED, "who are you?"))?;
        let id = header("x-request-id").and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok((Caller(user.to_owned()), RequestId(id)))
    }

    async fn serve(app: &App, layer: ScopeLayer<App>) -> String {
        let router: Router = Router::new().route("/hello", get(hello)).layer(layer).with_state(app.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        format!("http://{address}")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_request_s_scope_is_opened_with_inputs_taken_from_the_request() {
        let app = app();
        let base = serve(&app, ScopeLayer::with_inputs(app.clone(), from_headers)).await;
        let client = reqwest::Client::new();
        let answer = bounded("a request", async {
            let response = client
                .get(format!("{base}/hello"))
                .header("x-user", "ada")
                .header("x-request-id", "42")
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        })
        .await;
        assert_eq!(answer, (StatusCode::OK, "hello ada (request 42)".to_owned()));

        let refused = bounded("a refused request", async {
            let response = client.get(format!("{base}/hello")).send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        })
        .await;
        assert_eq!(refused, (StatusCode::UNAUTHORIZED, "who are you?".to_owned()));
        let counts = app.resolve::<Arc<Counts>>().await.unwrap();
        assert_eq!(counts.made.load(SeqCst), 1, "no scope was opened for the refused request");
    }

    /// An input taken by an axum extractor of its own.
    pub struct Tenant(pub String);

    impl<S: Sync> FromRequestParts<S> for Tenant {
        type Rejection = (StatusCode, &'static str);

        async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
            let tenant = parts.headers.get("x-tenant").and_then(|v| v.to_str().ok());
            tenant.map(|t| Tenant(t.to_owned())).ok_or((StatusCode::BAD_REQUEST, "no tenant"))
        }
    }

    #[injectable]
    pub struct Catalog {
        tenant: Arc<Tenant>,
    }

    container! {
        pub struct Shop {
            input Tenant;
            scoped Catalog;
        }
    }

    async fn catalog(Inject(catalog): Inject<Arc<Catalog>>) -> String {
        format!("catalog of {}", catalog.tenant.0)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn inputs_can_be_taken_by_extractors_and_a_rejection_is_the_answer() {
        let shop = Shop::new();
        let router: Router =
            Router::new().route("/catalog", get(catalog)).with_scope_layer(ScopeLayer::extract_inputs(shop));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let client = reqwest::Client::new();
        let (ok, refused) = bounded("two requests", async {
            let ok = client.get(format!("{base}/catalog")).header("x-tenant", "acme").send().await.unwrap();
            let refused = client.get(format!("{base}/catalog")).send().await.unwrap();
            ((ok.status(), ok.text().await.unwrap()), (refused.status(), refused.text().await.unwrap()))
        })
        .await;
        assert_eq!(ok, (StatusCode::OK, "catalog of acme".to_owned()));
        assert_eq!(refused, (StatusCode::BAD_REQUEST, "no tenant".to_owned()));
    }
}
