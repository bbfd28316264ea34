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
use injectq::{container, injectable};

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

    injectq::module! {
        pub services {
            singleton dyn crate::app::Mailer => crate::app::Smtp;
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

    /// The router, written once: one bound serves every container that provides what `App` does.
    pub fn router<C: AppServices>(container: C) -> Router {
        Router::new().route("/signups/{user}", post(sign_up)).with_container(container)
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
    struct TestApp {
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
    let base = serve(app::router(app::App::new())).await;
    assert_eq!(send_post(&base, "/signups/ada").await, "sent over SMTP to ada");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_container_with_a_fake_serves_the_same_router() {
    let sent = Arc::new(Sent::default());
    let test_app = TestApp::new(Arc::clone(&sent));
    let base = serve(app::router(test_app.clone())).await;
    assert_eq!(send_post(&base, "/signups/ada").await, "faked for ada");
    assert_eq!(send_post(&base, "/signups/grace").await, "faked for grace");
    assert_eq!(sent.0.load(SeqCst), 2, "the fake was injected, and nothing went over SMTP");
    test_app.dispose().await.unwrap();
}

#[tokio::test]
async fn generic_code_starts_and_resolves_either_container() {
    assert_eq!(app::warm_up(&app::App::new()).await.unwrap(), "sent over SMTP to nobody");
    let test_app = TestApp::new(Sent::default());
    assert_eq!(app::warm_up(&test_app).await.unwrap(), "faked for nobody");
}
