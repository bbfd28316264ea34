// One type of a generic registration registered again, written out.
use std::marker::PhantomData;
use injectq::{container, injectable};

pub trait Entity: Send + Sync + 'static {}
pub struct Note;
impl Entity for Note {}

#[injectable]
pub struct Repo<T: Entity> {
    entity: PhantomData<T>,
}

container! {
    pub struct App {
        singleton<T: Entity> Repo<T>;
        scoped Repo<Note>;
    }
}

fn main() {}
