// An assisted factory's container-provided parameter (`Arc<Pool>`) is not registered where its
// handle is injected.
use std::sync::Arc;

use injectq::{Assisted, container, factory, injectable};

pub struct Pool;
pub struct Conn;

#[factory]
fn connect(_pool: Arc<Pool>, #[arg] _url: String) -> Conn {
    Conn
}

#[injectable]
pub struct Repo {
    conns: Assisted<connect>,
}

container! {
    pub struct App {
        singleton Repo;
    }
}

fn main() {}
