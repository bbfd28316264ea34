use injectq::container;

container! {
    pub struct App<T> {
    }
}

fn main() {}
