// The advice of the maps' errors: each member with a key of its own, of one type; an integer key
// with its type (a suffix, or `key: Type = ..`).
use std::collections::HashMap;
use std::sync::Arc;
use injectq::{container, injectable};

pub trait Handler: Send + Sync {}

#[injectable]
pub struct Users;
impl Handler for Users {}

#[injectable]
pub struct Accounts;
impl Handler for Accounts {}

#[injectable]
pub struct Posts;
impl Handler for Posts {}

pub const ADMIN_PORT: u16 = 8080;

container! {
    pub struct App {
        singleton dyn Handler += Users, key = "users";
        singleton dyn Handler += Accounts, key = "accounts";
        singleton dyn Handler += Posts, key = "posts";
    }
}

container! {
    pub struct Ports {
        singleton dyn Handler += Users, key = 7u16;
        singleton dyn Handler += Posts, key: u16 = ADMIN_PORT;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let map: HashMap<&'static str, Arc<dyn Handler>> = App::new().resolve().await.unwrap();
    assert_eq!(map.len(), 3);
    let ports: HashMap<u16, Arc<dyn Handler>> = Ports::new().resolve().await.unwrap();
    assert!(ports.contains_key(&8080) && ports.contains_key(&7));
}
