// A plain `fn` registered as a factory without `#[factory]` (reported by rustc: `#[factory]` is
// what makes the fn's name a type the container can name).
use injectq::container;

pub struct Pool;

fn open_pool() -> Pool {
    Pool
}

container! {
    pub struct App {
        singleton Pool = open_pool;
    }
}

fn main() {}
