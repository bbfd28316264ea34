// One type registered twice under two paths (reported by rustc, as conflicting impls).
use injectq::container;

pub mod time {
    #[injectq::injectable]
    pub struct Clock;
}

container! {
    pub struct App {
        singleton time::Clock;
        transient crate::time::Clock; // the same type, spelled differently
    }
}

fn main() {}
