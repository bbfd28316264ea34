// A factory that builds a type that cannot be shared between tasks (a `RefCell`), registered:
// rustc reports it, at the container and at the registration.
use std::cell::RefCell;

use injectq::{container, factory};

pub struct Counter {
    pub count: RefCell<u32>,
}

#[factory]
fn counter() -> Counter {
    Counter { count: RefCell::new(0) }
}

container! {
    pub struct App {
        singleton Counter = counter;
    }
}

fn main() {}
