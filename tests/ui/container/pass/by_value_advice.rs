// The advice of the by-value cases, applied: a shared registration is asked for as `Arc<T>` (or
// `Lazy<T>`), and a type registered `transient` is handed out by value.
use std::sync::Arc;

use injectq::{Lazy, container, injectable};

#[injectable]
pub struct Pool;

pub struct Caller(pub String);

pub struct Config;

#[injectable]
pub struct Session;

#[injectable]
pub struct Fresh;

#[injectable]
pub struct Greeting {
    caller: Arc<Caller>,
}

#[injectable]
pub struct Handler {
    _config: Arc<Config>,
    _session: Arc<Session>,
    _pool: Lazy<Pool>,
    _fresh: Fresh,
}

container! {
    pub struct App {
        value Config;
        singleton Pool;
        input Caller;
        scoped Session;
        scoped Greeting;
        transient Fresh;
        transient Handler;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> injectq::Result<()> {
    let app = App::new(Config);
    let _: Arc<Pool> = app.resolve().await?;
    let scope = app.create_scope_with(Caller("ada".into()));
    assert_eq!(scope.resolve::<Arc<Greeting>>().await?.caller.0, "ada");
    let _: Handler = scope.resolve().await?;
    let _: Fresh = app.resolve().await?;
    Ok(())
}
