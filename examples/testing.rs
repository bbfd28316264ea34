//! Testing with fakes: the production container says `#[provides(AppServices)]`, the router is
//! written once against that one bound, and a test container that imports the production module
//! and swaps the mailer for a fake serves the same router. Both are served here over real HTTP,
//! as a test would (`tests/fakes.rs` has the same as `#[tokio::test]`s).
//!
//! Run: `cargo run -p injectq-examples --example testing`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use injectq::axum::{Inject, InjectqRouter};
use injectq::{BoxError, container, injectable};

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

/// The real mailer.
#[injectable]
pub struct Smtp;

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("welcome mail sent over SMTP to {to}")
    }
}

/// Per request: signs a user up.
#[injectable]
pub struct Signups {
    mailer: Arc<dyn Mailer>,
}

injectq::module! {
    /// The application's registrations, shared by the production and the test container.
    pub services {
        singleton dyn crate::Mailer => crate::Smtp;
        scoped crate::Signups;
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
    signups.mailer.send(&user)
}

/// The router, written once, for every container that provides what `App` does.
fn router<C: AppServices>(container: C) -> Router {
    Router::new().route("/signups/{user}", post(sign_up)).with_container(container)
}

// ---- what a test writes ----

/// Counts the mails it would have sent.
#[derive(Default)]
pub struct Outbox(AtomicUsize);

#[injectable]
pub struct FakeMailer {
    outbox: Arc<Outbox>,
}

impl Mailer for FakeMailer {
    fn send(&self, to: &str) -> String {
        self.outbox.0.fetch_add(1, Ordering::SeqCst);
        format!("(fake) mail to {to} kept in the outbox")
    }
}

container! {
    /// The test container: the production module, the mailer swapped for the fake.
    pub struct TestApp {
        import services;
        override singleton dyn Mailer => FakeMailer;
        value Outbox;
    }
}

/// Serves `router` on a free port and signs `user` up through it.
async fn sign_up_over_http(router: Router, user: &str) -> Result<String, BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let answer = reqwest::Client::new().post(format!("{base}/signups/{user}")).send().await?.text().await?;
    server.abort();
    Ok(answer)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    println!("production: {}", sign_up_over_http(router(App::new()), "ada").await?);

    let outbox = Arc::new(Outbox::default());
    let test_app = TestApp::new(Arc::clone(&outbox));
    println!("test: {}", sign_up_over_http(router(test_app.clone()), "grace").await?);
    println!("the fake's outbox holds {} mail(s)", outbox.0.load(Ordering::SeqCst));
    test_app.dispose().await?;
    Ok(())
}
