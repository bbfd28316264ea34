// A misspelled registration keyword (`singelton`).
use injectq::{container, injectable};

#[injectable]
pub struct Clock;

container! {
    pub struct App {
        singelton Clock;
    }
}

fn main() {}
