// `dyn Repo => PgRepo` where `PgRepo` does not implement `Repo` (reported by rustc at the implementation).
use injectq::{container, injectable};

pub trait Repo: Send + Sync {}

#[injectable]
pub struct PgRepo;

container! {
    pub struct App {
        singleton dyn Repo => PgRepo; // but PgRepo does not implement Repo
    }
}

fn main() {}
