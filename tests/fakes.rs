//! Test fakes without making the application generic over every service: the production
//! container says `#[provides(AppServices)]`, the router is written once against that one bound,
//! and a test container that imports the production module and overrides one service with a
//! fake serves the same router, over real HTTP. The test container is checked at compile time
//! like any other (tests/ui/container/fail/fake_container_lacks_a_service.rs).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use injectq::axum::{Inject, InjectqRouter};
use injectq::{Scope, ScopeFactory, container, injectable};

/// The application's code: services, the module that registers them, the router.
mod app {
    use super::*;

    pub trait Mailer: Send + Sync {
        fn send(&self, to: &str) -> String;
    }

    /// The real mailer.
    #[injectable]
    pub struct Smtp;

    impl Mailer for Smtp {
        fn send(&self, to: &str) -> String {
            format!("sent over SMTP to {to}")
        }
    }

    /// Signs a user up and mails them; per request.
    #[injectable]
    pub struct Signups {
        mailer: Arc<dyn Mailer>,
    }

    impl Signups {
        pub fn sign_up(&self, user: &str) -> String {
            self.mailer.send(user)
        }
    }

    /// What the application is called: a value given to the container.
    pub struct Brand(pub &'static str);

    /// A background worker: it handles each job in a scope of its own. It is generic over its
    /// container, so that the test container provides it too (`Worker<Self>` below).
    #[injectable]
    pub struct Worker<C: AppServices> {
        scopes: ScopeFactory<C>,
    }

    impl<C: AppServices> Worker<C> {
        /// One job: a scope opened, its `Signups` created once, read again without awaiting.
        pub async fn welcome(&self, user: &str) -> injectq::Result<String> {
            let scope = self.scopes.create_scope()?;
            let signups = scope.resolve::<Arc<Signups>>().await?;
            let again = scope.get::<Arc<Signups>>()?;
            assert!(Arc::ptr_eq(&signups, &again), "a scoped service is one per scope");
            let brand = self.scopes.container()?.get::<Arc<Brand>>()?;
            let sent = format!("{}: {}", brand.0, signups.sign_up(user));
            scope.dispose().await.map_err(injectq::Error::from)?;
            Ok(sent)
        }
    }

    injectq::module! {
        pub services {
            value crate::app::Brand;
            singleton dyn crate::app::Mailer => crate::app::Smtp;
            singleton crate::app::Worker<Self>;
            scoped crate::app::Signups;
        }
    }

    container! {
        /// The production container.
        #[provides(AppServices)]
        pub struct App {
            import services;
        }
    }

    async fn sign_up(Path(user): Path<String>, Inject(signups): Inject<Arc<Signups>>) -> String {
        signups.sign_up(&user)
    }

    async fn welcome<C: AppServices>(Path(user): Path<String>, Inject(worker): Inject<Arc<Worker<C>>>) -> String {
        worker.welcome(&user).await.unwrap_or_else(|error| error.to_string())
    }

    /// The router, written once: one bound serves every container that provides what `App` does.
    /// What is shared is read without awaiting (`get`), from the root and from a request's scope.
    pub fn router<C: AppServices>(container: C) -> Router {
        let brand = container.get::<Arc<Brand>>().expect("a value is there from the start").0;
        Router::new()
            .route("/signups/{user}", post(sign_up))
            .route("/welcome/{user}", post(welcome::<C>))
            .route("/brand", axum::routing::get(move || async move { brand }))
            .with_container(container)
    }

    /// A worker, read without awaiting once `start` has created the singletons.
    pub async fn worker_of<C: AppServices>(container: &C) -> injectq::Result<Arc<Worker<C>>> {
        container.start().await?;
        container.get::<Arc<Worker<C>>>()
    }

    /// Code generic over the container can start it and resolve from it too.
    pub async fn warm_up<C: AppServices>(container: &C) -> injectq::Result<String> {
        container.start().await?;
        Ok(container.resolve::<Arc<dyn Mailer>>().await?.send("nobody"))
    }
}

/// The test's fake: counts what would have been sent.
#[derive(Default)]
pub struct Sent(AtomicUsize);

#[injectable]
pub struct FakeMailer {
    sent: Arc<Sent>,
}

impl app::Mailer for FakeMailer {
    fn send(&self, to: &str) -> String {
        self.sent.0.fetch_add(1, SeqCst);
        format!("faked for {to}")
    }
}

// the test container: the production module, one service swapped; a value the fake needs
container! {
    pub struct TestApp {
        import app::services;
        override singleton dyn app::Mailer => FakeMailer;
        value Sent;
    }
}

async fn send_post(base: &str, path: &str) -> String {
    let request = reqwest::Client::new().post(format!("{base}{path}")).send();
    let response = tokio::time::timeout(Duration::from_secs(20), request).await.expect("answered").unwrap();
    response.text().await.unwrap()
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_production_container_serves_the_router() {
    let base = serve(app::router(app::App::new(app::Brand("Prod")))).await;
    assert_eq!(send_post(&base, "/signups/ada").await, "sent over SMTP to ada");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_container_with_a_fake_serves_the_same_router() {
    let sent = Arc::new(Sent::default());
    let test_app = TestApp::new(app::Brand("Test"), Arc::clone(&sent));
    let base = serve(app::router(test_app.clone())).await;
    assert_eq!(send_post(&base, "/signups/ada").await, "faked for ada");
    assert_eq!(send_post(&base, "/signups/grace").await, "faked for grace");
    assert_eq!(sent.0.load(SeqCst), 2, "the fake was injected, and nothing went over SMTP");
    test_app.dispose().await.unwrap();
}

#[tokio::test]
async fn generic_code_starts_and_resolves_either_container() {
    assert_eq!(app::warm_up(&app::App::new(app::Brand("Prod"))).await.unwrap(), "sent over SMTP to nobody");
    let test_app = TestApp::new(app::Brand("Test"), Sent::default());
    assert_eq!(app::warm_up(&test_app).await.unwrap(), "faked for nobody");
}

async fn send_get(base: &str, path: &str) -> String {
    let request = reqwest::Client::new().get(format!("{base}{path}")).send();
    let response = tokio::time::timeout(Duration::from_secs(20), request).await.expect("answered").unwrap();
    response.text().await.unwrap()
}

/// The worker and the router are written once against `AppServices`; each container provides its
/// own worker (`Worker<Self>` in the module), whose scope factory opens scopes of that container.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_generic_over_the_container_serves_production_and_a_test() {
    let app = app::App::new(app::Brand("Prod"));
    let base = serve(app::router(app.clone())).await;
    assert_eq!(send_get(&base, "/brand").await, "Prod");
    assert_eq!(send_post(&base, "/welcome/ada").await, "Prod: sent over SMTP to ada");

    let sent = Arc::new(Sent::default());
    let test_app = TestApp::new(app::Brand("Test"), Arc::clone(&sent));
    let base = serve(app::router(test_app.clone())).await;
    assert_eq!(send_get(&base, "/brand").await, "Test");
    assert_eq!(send_post(&base, "/welcome/ada").await, "Test: faked for ada");
    assert_eq!(send_post(&base, "/welcome/grace").await, "Test: faked for grace");
    assert_eq!(sent.0.load(SeqCst), 2, "the test container's worker opened the test container's scopes");

    // generic code reads what is shared without awaiting, once it is created
    let worker = app::worker_of(&test_app).await.unwrap();
    assert_eq!(worker.welcome("alan").await.unwrap(), "Test: faked for alan");
    test_app.dispose().await.unwrap();
    // the worker learns that its container is gone from its scope factory
    let refused = worker.welcome("nobody").await.unwrap_err();
    assert_eq!(refused.kind(), injectq::ErrorKind::Disposed, "{refused}");
    app.dispose().await.unwrap();
}
