// A registered struct without `#[injectable]` or a factory.
use injectq::container;

pub struct Clock; // no #[injectable]

container! {
    pub struct App {
        singleton Clock;
    }
}

fn main() {}
