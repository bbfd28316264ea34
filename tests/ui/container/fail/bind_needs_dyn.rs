// `=>` binds a trait object, but its left side is a plain type (`Repo`, not `dyn Repo`).
use injectq::{container, injectable};

#[injectable]
pub struct PgRepo;

pub struct Repo;

container! {
    pub struct App {
        singleton Repo => PgRepo;
    }
}

fn main() {}
