// `Assisted<f>` of a factory that takes no `#[arg]` parameter: nothing is left for the caller to
// give, so it is registered in the container instead.
use injectq::{Assisted, container, factory, injectable};

pub struct Pool;

#[factory]
fn open_pool() -> Pool {
    Pool
}

#[injectable]
pub struct Repo {
    pools: Assisted<open_pool>,
}

container! {
    pub struct App {
        singleton Repo;
    }
}

fn main() {}
