use injectq::container;

pub trait Repo: Send + Sync {}

container! {
    pub struct App {
        singleton dyn Repo;
    }
}

fn main() {}
