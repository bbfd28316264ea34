// A service depends on a trait object that nobody provides.
use std::sync::Arc;
use injectq::{container, injectable};

pub trait UserRepo: Send + Sync {}

#[injectable]
pub struct UserService {
    repo: Arc<dyn UserRepo>,
}

container! {
    pub struct App {
        transient UserService; // needs `Arc<dyn UserRepo>`, which nothing provides
    }
}

fn main() {}
