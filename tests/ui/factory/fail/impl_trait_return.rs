// A factory that returns `impl Trait`, which the container cannot name.
use injectq::factory;

#[factory]
fn make_iter() -> impl Iterator<Item = u8> + Send + Sync {
    std::iter::empty()
}

fn main() {}
