// An injected field that cannot be shared between tasks (an `Rc`): injectq's error on the field
// comes first, then rustc's at the container and the registration that need `Send + Sync`.
use std::rc::Rc;

use injectq::{container, injectable};

pub struct Config;

#[injectable]
pub struct Service {
    config: Rc<Config>,
}

container! {
    pub struct App {
        value Config;
        singleton Service;
    }
}

fn main() {}
