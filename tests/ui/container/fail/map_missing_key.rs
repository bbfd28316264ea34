// A map whose members do not all have a key.
use injectq::{container, injectable};

pub trait Handler: Send + Sync {}

#[injectable]
pub struct Users;
impl Handler for Users {}

#[injectable]
pub struct Posts;
impl Handler for Posts {}

container! {
    pub struct App {
        singleton dyn Handler += Users, key = "users";
        singleton dyn Handler += Posts;
    }
}

fn main() {}
