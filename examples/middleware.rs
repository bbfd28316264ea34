//! A web service on axum: `ScopeLayer` opens one scope per request, cleaned up once the response
//! has been sent, and a handler takes its services with `Inject<T>`, checked by the compiler
//! against the container. At the end, the server stops and `shutdown` waits for the sessions still being
//! closed.
//!
//! Run it with `cargo run -p injectq-examples --example middleware`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use injectq::axum::{Inject, InjectqRouter};
use injectq::{AsyncDispose, BoxError, container, injectable};

/// The sessions closed so far.
#[derive(Default)]
pub struct Closed(Mutex<Vec<usize>>);

/// One per request: opened by the first service that needs it, closed after the response.
#[injectable(init = open, dispose)]
pub struct RequestSession {
    closed: Arc<Closed>,
    #[inject(default)]
    id: usize,
}

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

impl RequestSession {
    async fn open(&mut self) -> Result<(), BoxError> {
        self.id = SESSIONS.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(())
    }
}

impl AsyncDispose for RequestSession {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.closed.0.lock().unwrap().push(self.id);
        Ok(())
    }
}

/// `AsyncUserService`
#[injectable]
pub struct UserService {
    session: Arc<RequestSession>,
}

impl UserService {
    async fn get_user(&self, user_id: u32) -> String {
        format!("user{user_id}@example.com (session {})", self.session.id)
    }
}

container! {
    pub struct App {
        value Closed;
        scoped RequestSession;
        transient UserService;
    }
}

/// `GET /users/{user_id}`: the user service comes from the request's scope.
async fn get_user(Path(user_id): Path<u32>, Inject(users): Inject<UserService>) -> String {
    users.get_user(user_id).await
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let closed = Arc::new(Closed::default());
    let app = App::new(Arc::clone(&closed));
    let router: Router = Router::new().route("/users/{user_id}", get(get_user)).with_container(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).with_graceful_shutdown(async { drop(stopped.await) }).await
    });

    for user_id in [1, 2] {
        println!("GET /users/{user_id}");
        let body = reqwest::get(format!("{base}/users/{user_id}")).await?.text().await?;
        println!("  -> {body}");
    }

    // stop the server, then let the container finish what the requests left behind
    let _ = stop.send(());
    server.await??;
    app.shutdown(Duration::from_secs(5)).await?;
    let mut sessions = closed.0.lock().unwrap().clone();
    sessions.sort_unstable();
    println!("sessions closed: {sessions:?}");
    Ok(())
}
