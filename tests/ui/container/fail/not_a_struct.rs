use injectq::container;

container! {
    pub App {
    }
}

fn main() {}
