// `get` of a transient whose graph holds an async factory, which must be awaited every time.
use std::sync::Arc;

use injectq::{container, factory, injectable};

pub struct Settings;

pub struct Conn;

#[factory]
async fn connect(_settings: Arc<Settings>) -> Conn {
    Conn
}

#[injectable]
pub struct Query {
    conn: Conn,
}

container! {
    pub struct App {
        value Settings;
        transient Conn = connect;
        transient Query;
    }
}

fn main() {
    let app = App::new(Settings);
    let _ = app.get::<Query>();
}
