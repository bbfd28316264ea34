use injectq::factory;

#[factory]
fn make<T: Default>() -> T {
    T::default()
}

fn main() {}
