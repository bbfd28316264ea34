// A service with a field that cannot be shared between tasks (a `RefCell`), registered.
use std::cell::RefCell;

use injectq::{container, injectable};

#[injectable]
pub struct Counter {
    #[inject(default)]
    count: RefCell<u32>,
}

container! {
    pub struct App {
        singleton Counter;
    }
}

fn main() {}
