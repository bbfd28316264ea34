// A trait object registered without the implementation to build.
use injectq::container;

pub trait Repo: Send + Sync {}

container! {
    pub struct App {
        singleton dyn Repo;
    }
}

fn main() {}
