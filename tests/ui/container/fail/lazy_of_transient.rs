// A `Lazy` of a transient: there is nothing to keep.
use injectq::{Lazy, container, injectable};

#[injectable]
pub struct Report;

#[injectable]
pub struct Printer {
    report: Lazy<Report>, // a transient is not kept: use Provider<Report>
}

container! {
    pub struct App {
        transient Report;
        singleton Printer;
    }
}

fn main() {}
