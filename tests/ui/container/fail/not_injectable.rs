use injectq::container;

pub struct Clock; // no #[injectable]

container! {
    pub struct App {
        singleton Clock;
    }
}

fn main() {}
