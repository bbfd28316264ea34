// `import` inside a child container, which sees its parent's imports.
use injectq::{container, injectable, module};

#[injectable]
pub struct Clock;

module! {
    pub clock {
        singleton crate::Clock;
    }
}

container! {
    pub struct App {
        child pub struct Admin {
            import clock;
        }
    }
}

fn main() {}
