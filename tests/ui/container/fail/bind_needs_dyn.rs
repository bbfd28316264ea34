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
