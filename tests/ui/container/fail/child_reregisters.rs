// A child container registers again a type its parent registers.
use injectq::{container, injectable};

#[injectable]
pub struct Database;

container! {
    pub struct App {
        singleton Database;

        child pub struct Admin {
            singleton Database;
        }
    }
}

fn main() {}
