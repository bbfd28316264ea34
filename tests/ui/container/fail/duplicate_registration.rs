// One type registered twice in one container.
use injectq::{container, injectable};

#[injectable]
pub struct Clock;

container! {
    pub struct App {
        singleton Clock;
        transient Clock;
    }
}

fn main() {}
