// Two members of one map under the same key.
use injectq::{container, injectable};

pub trait Handler: Send + Sync {}

#[injectable]
pub struct Users;
impl Handler for Users {}

#[injectable]
pub struct Accounts;
impl Handler for Accounts {}

container! {
    pub struct App {
        singleton dyn Handler += Users, key = "users";
        singleton dyn Handler += Accounts, key = "users";
    }
}

fn main() {}
