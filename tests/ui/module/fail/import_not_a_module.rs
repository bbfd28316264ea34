// `import` of a type instead of a module (reported by rustc: no such macro).
use injectq::container;

pub struct Clock;

container! {
    pub struct App {
        import Clock;
    }
}

fn main() {}
