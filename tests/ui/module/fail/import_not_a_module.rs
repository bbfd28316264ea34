use injectq::container;

pub struct Clock;

container! {
    pub struct App {
        import Clock;
    }
}

fn main() {}
