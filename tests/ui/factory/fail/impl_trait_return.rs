use injectq::factory;

#[factory]
fn make_iter() -> impl Iterator<Item = u8> + Send + Sync {
    std::iter::empty()
}

fn main() {}
