//! Error handling: a failing factory comes back as an error that names what failed and the path
//! to it, with the cause kept; falling back to another service is an explicit choice, a `match`
//! on the error; an optional dependency declared `absent` takes its fallback.
//!
//! Run it with `cargo run -p injectq-examples --example error_handling`.

use std::error::Error as _;
use std::sync::Arc;

use injectq::{BoxError, container, factory, injectable};

pub trait UserService: Send + Sync {
    fn get_user(&self, id: u32) -> String;
}

pub struct RemoteUsers;

impl UserService for RemoteUsers {
    fn get_user(&self, id: u32) -> String {
        format!("remote user {id}")
    }
}

/// `fallback_user_service`: `MockUserService()`
pub struct MockUserService;

impl UserService for MockUserService {
    fn get_user(&self, id: u32) -> String {
        format!("mock user {id}")
    }
}

#[derive(Debug)]
pub struct ConnectionRefused;

impl std::fmt::Display for ConnectionRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection refused")
    }
}

impl std::error::Error for ConnectionRefused {}

#[factory]
async fn connect_users() -> Result<RemoteUsers, ConnectionRefused> {
    Err(ConnectionRefused)
}

pub struct Tracer;

/// A handler: its users service, and an optional tracer with a fallback label.
#[injectable]
pub struct Profile {
    _users: Arc<RemoteUsers>,
}

#[injectable]
pub struct Greeting {
    tracer: Option<Arc<Tracer>>,
    #[inject(fallback = String::from("anonymous"))]
    visitor: String,
}

container! {
    pub struct App {
        singleton RemoteUsers = connect_users;
        transient Profile;
        absent Tracer;
        absent String;
        transient Greeting;
    }
}

/// `get_user_with_fallback`: on failure, log and use the fallback service.
async fn get_user_with_fallback(app: &App, id: u32) -> String {
    let users: Arc<dyn UserService> = match app.resolve::<Arc<RemoteUsers>>().await {
        Ok(remote) => remote,
        Err(error) => {
            println!("service resolution failed: {error}");
            Arc::new(MockUserService)
        }
    };
    users.get_user(id)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new();

    let error = app.resolve::<Profile>().await.err().expect("the users service cannot connect");
    println!("{error}");
    println!("path: {:?}", error.path().collect::<Vec<_>>());
    println!("cause kept: {}", error.source().map(|s| s.is::<ConnectionRefused>()).unwrap_or(false));

    println!("{}", get_user_with_fallback(&app, 1).await);

    let greeting: Greeting = app.resolve().await?;
    println!("tracer: {}, visitor: {}", greeting.tracer.is_some(), greeting.visitor);
    Ok(())
}
