// A generic factory: the container calls it with one concrete type per argument.
use injectq::factory;

#[factory]
fn make<T: Default>() -> T {
    T::default()
}

fn main() {}
