// Two keys written differently that are the same constant.
use injectq::{container, injectable};

pub trait Handler: Send + Sync {}

#[injectable]
pub struct Users;
impl Handler for Users {}

#[injectable]
pub struct Admin;
impl Handler for Admin {}

pub const ADMIN_PORT: u16 = 8080;

container! {
    pub struct App {
        singleton dyn Handler += Users, key = 8080u16;
        singleton dyn Handler += Admin, key: u16 = ADMIN_PORT;
    }
}

fn main() {}
