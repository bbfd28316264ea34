// A generic binding: not supported, each binding is written out.
use std::marker::PhantomData;
use injectq::{container, injectable};

pub trait Entity: Send + Sync + 'static {}
pub trait Store<T>: Send + Sync {}

#[injectable]
pub struct Repo<T: Entity> {
    entity: PhantomData<T>,
}
impl<T: Entity> Store<T> for Repo<T> {}

container! {
    pub struct App {
        singleton<T: Entity> dyn Store<T> => Repo<T>;
    }
}

fn main() {}
