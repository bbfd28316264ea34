// The advice of the generic registrations' errors: the type given the bound; a binding written
// out per type.
use std::marker::PhantomData;
use std::sync::Arc;
use injectq::{container, injectable};

pub trait Entity: Send + Sync + 'static {}
pub trait Store: Send + Sync {
    fn table(&self) -> &'static str;
}

pub struct Note;
impl Entity for Note {}

pub struct Secret;
impl Entity for Secret {}

#[injectable]
pub struct Repo<T: Entity> {
    entity: PhantomData<T>,
}
impl Store for Repo<Note> {
    fn table(&self) -> &'static str {
        "notes"
    }
}

#[injectable]
pub struct Vault {
    secrets: Arc<Repo<Secret>>,
}

container! {
    pub struct App {
        singleton<T: Entity> Repo<T>;
        singleton Vault;
        singleton dyn Store => Repo<Note>;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::new();
    let vault = app.resolve::<Arc<Vault>>().await.unwrap();
    let _ = &vault.secrets;
    assert_eq!(app.resolve::<Arc<dyn Store>>().await.unwrap().table(), "notes");
}
