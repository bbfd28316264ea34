//! Generic registrations: one line registers a repository for every entity.
//!
//! `singleton<T: Entity> Repo<T>;` registers `Repo<T>` for each `T` that implements `Entity`:
//! `Repo<Note>` and `Repo<User>` are each created once, on first use, and disposed with the
//! container, as if each were written out. A service may need `Arc<Repo<Note>>` like any other;
//! asking for `Repo<Password>`, which is not an `Entity`, is a compile error at that use.
//! `scoped<T: Entity> Changes<T>;` is a generic scoped service: one per type per request.
//!
//! Run: `cargo run -p injectq-examples --example repositories`

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use injectq::{AsyncDispose, BoxError, container, injectable};

/// What a repository stores.
pub trait Entity: Send + Sync + 'static {
    const TABLE: &'static str;
}

pub struct Note;
impl Entity for Note {
    const TABLE: &'static str = "notes";
}

pub struct User;
impl Entity for User {
    const TABLE: &'static str = "users";
}

/// The rows of every table, in memory.
#[injectable]
pub struct Db {
    #[inject(default)]
    rows: Mutex<Vec<(&'static str, String)>>,
}

/// One repository per entity, opened once and closed with the container.
#[injectable(init = Self::open, dispose)]
pub struct Repo<T: Entity> {
    db: Arc<Db>,
    entity: PhantomData<T>,
}

impl<T: Entity> Repo<T> {
    async fn open(&mut self) {
        println!("repo for `{}` opened", T::TABLE);
    }

    fn insert(&self, row: &str) {
        self.db.rows.lock().unwrap().push((T::TABLE, row.to_owned()));
    }

    fn count(&self) -> usize {
        self.db.rows.lock().unwrap().iter().filter(|(table, _)| *table == T::TABLE).count()
    }
}

impl<T: Entity> AsyncDispose for Repo<T> {
    async fn dispose(&self) -> Result<(), BoxError> {
        println!("repo for `{}` closed", T::TABLE);
        Ok(())
    }
}

/// A request's pending rows of one table, written when the request ends.
#[injectable(dispose)]
pub struct Changes<T: Entity> {
    repo: Arc<Repo<T>>,
    #[inject(default)]
    pending: Mutex<Vec<String>>,
}

impl<T: Entity> Changes<T> {
    fn add(&self, row: &str) {
        self.pending.lock().unwrap().push(row.to_owned());
    }
}

impl<T: Entity> AsyncDispose for Changes<T> {
    async fn dispose(&self) -> Result<(), BoxError> {
        for row in self.pending.lock().unwrap().drain(..) {
            self.repo.insert(&row);
        }
        Ok(())
    }
}

/// A written-out service that needs two of them.
#[injectable]
pub struct Signup {
    users: Arc<Changes<User>>,
    notes: Arc<Changes<Note>>,
}

container! {
    pub struct App {
        singleton Db;
        singleton<T: Entity> Repo<T>;
        scoped<T: Entity> Changes<T>;
        scoped Signup;
    }
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    let app = App::new();
    for name in ["ada", "grace"] {
        let scope = app.create_scope();
        let signup = scope.resolve::<Arc<Signup>>().await?;
        signup.users.add(name);
        signup.notes.add(&format!("welcome, {name}"));
        scope.dispose().await?;
    }
    let (users, notes) = (app.resolve::<Arc<Repo<User>>>().await?, app.resolve::<Arc<Repo<Note>>>().await?);
    println!("{} users, {} notes", users.count(), notes.count());
    drop((users, notes));
    app.dispose().await?;
    Ok(())
}
