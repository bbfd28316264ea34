// A field that cannot be shared between tasks (`Rc`).
use std::rc::Rc;
use injectq::injectable;

#[injectable]
pub struct Counter {
    #[inject(default)]
    count: Rc<u32>,
}

fn main() {}
