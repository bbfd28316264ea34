// An integer key without a type.
use injectq::{container, injectable};

pub trait Handler: Send + Sync {}

#[injectable]
pub struct Users;
impl Handler for Users {}

container! {
    pub struct App {
        singleton dyn Handler += Users, key = 7;
    }
}

fn main() {}
