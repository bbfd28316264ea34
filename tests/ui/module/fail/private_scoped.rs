// A private scoped helper: not supported yet.
use injectq::{injectable, module};

#[injectable]
pub struct Session;

module! {
    pub sessions {
        private scoped crate::Session;
    }
}

fn main() {}
