// Two imported modules register the same type.
use injectq::{container, injectable, module};

#[injectable]
pub struct Clock;

module! {
    pub first {
        singleton crate::Clock;
    }
}

module! {
    pub second {
        singleton crate::Clock;
    }
}

container! {
    pub struct App {
        import first;
        import second;
    }
}

fn main() {}
