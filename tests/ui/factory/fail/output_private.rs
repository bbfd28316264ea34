// A factory that builds a private type: `#[factory]`'s companion type is public (a public
// container names it), so what it builds must be public too (rustc's E0446).
use injectq::factory;

struct Pool;

#[factory]
fn open_pool() -> Pool {
    Pool
}

fn main() {}
