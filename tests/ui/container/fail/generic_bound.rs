// A service that needs a generic registration for a type that does not meet its bound.
use std::marker::PhantomData;
use std::sync::Arc;
use injectq::{container, injectable};

pub trait Entity: Send + Sync + 'static {}

pub struct Note;
impl Entity for Note {}

pub struct Secret;

#[injectable]
pub struct Repo<T: Send + Sync + 'static> {
    entity: PhantomData<T>,
}

#[injectable]
pub struct Vault {
    secrets: Arc<Repo<Secret>>,
}

container! {
    pub struct App {
        singleton<T: Entity> Repo<T>;
        singleton Vault;
    }
}

fn main() {}
