//! Generic registrations: `singleton<T: Entity> Repo<T>;` registers `Repo<T>` for every `T` that
//! meets the bound. Each concrete `Repo<Note>` is resolved, checked and kept per lifetime like a
//! written-out registration: one per container, per scope, or new each time.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use injectq::{AsyncDispose, BoxError, container, injectable};
use support::bounded;

mod support;

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

/// What the test's services did, by table.
#[derive(Default)]
pub struct Log {
    built: Mutex<Vec<&'static str>>,
    disposed: Mutex<Vec<&'static str>>,
    queries: AtomicUsize,
}

#[injectable]
pub struct Db {
    log: Arc<Log>,
}

/// A generic singleton, disposed with the container.
#[injectable(init = Self::open, dispose)]
pub struct Repo<T: Entity> {
    db: Arc<Db>,
    entity: PhantomData<T>,
}

impl<T: Entity> Repo<T> {
    async fn open(&mut self) {
        self.db.log.built.lock().unwrap().push(T::TABLE);
        tokio::task::yield_now().await;
    }

    fn table(&self) -> &'static str {
        T::TABLE
    }
}

impl<T: Entity> AsyncDispose for Repo<T> {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.db.log.disposed.lock().unwrap().push(T::TABLE);
        Ok(())
    }
}

/// A generic scoped service over the generic singleton.
#[injectable]
pub struct UnitOfWork<T: Entity> {
    repo: Arc<Repo<T>>,
}

/// A generic transient.
#[injectable(init = Self::count)]
pub struct Query<T: Entity> {
    repo: Arc<Repo<T>>,
    log: Arc<Log>,
}

impl<T: Entity> Query<T> {
    async fn count(&mut self) {
        self.log.queries.fetch_add(1, SeqCst);
    }
}

/// A written-out service that needs two of them.
#[injectable]
pub struct Feed {
    notes: Arc<Repo<Note>>,
    users: Arc<Repo<User>>,
}

container! {
    pub struct App {
        value Log;
        singleton Db;
        singleton<T: Entity> Repo<T>;
        scoped<T: Entity> UnitOfWork<T>;
        transient<T> Query<T> where T: Entity;
        singleton Feed;
    }
}

fn app() -> (App, Arc<Log>) {
    let log = Arc::new(Log::default());
    (App::new(Arc::clone(&log)), log)
}

#[tokio::test]
async fn each_type_is_its_own_registration_in_each_lifetime() {
    let (app, log) = app();
    let notes = app.resolve::<Arc<Repo<Note>>>().await.unwrap();
    let users = app.resolve::<Arc<Repo<User>>>().await.unwrap();
    assert_eq!((notes.table(), users.table()), ("notes", "users"));
    assert!(Arc::ptr_eq(&notes, &app.resolve::<Arc<Repo<Note>>>().await.unwrap()), "a singleton per type");
    let feed = app.resolve::<Arc<Feed>>().await.unwrap();
    assert!(Arc::ptr_eq(&feed.notes, &notes) && Arc::ptr_eq(&feed.users, &users), "written-out services share them");

    let (first, second) = (app.create_scope(), app.create_scope());
    let work = first.resolve::<Arc<UnitOfWork<Note>>>().await.unwrap();
    assert!(Arc::ptr_eq(&work, &first.resolve::<Arc<UnitOfWork<Note>>>().await.unwrap()), "one per scope");
    assert!(!Arc::ptr_eq(&work, &second.resolve::<Arc<UnitOfWork<Note>>>().await.unwrap()), "another scope's");
    assert!(Arc::ptr_eq(&work.repo, &notes));

    let (a, b) = (first.resolve::<Query<User>>().await.unwrap(), first.resolve::<Query<User>>().await.unwrap());
    assert!(Arc::ptr_eq(&a.repo, &b.repo));
    assert_eq!(log.queries.load(SeqCst), 2, "a transient: a new one each time");
    assert_eq!(*log.built.lock().unwrap(), ["notes", "users"]);
    assert!(app.get::<Arc<Repo<Note>>>().is_ok(), "a created one is had without awaiting");
}

/// 64 tasks resolve two types of one generic singleton at once: each type is created once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_type_is_created_once_under_concurrency() {
    let (app, log) = app();
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    Arc::as_ptr(&app.resolve::<Arc<Repo<Note>>>().await.unwrap()) as usize
                } else {
                    Arc::as_ptr(&app.resolve::<Arc<Repo<User>>>().await.unwrap()) as usize
                }
            })
        })
        .collect();
    let all: Vec<usize> =
        bounded("the resolves", futures_util::future::join_all(tasks)).await.into_iter().map(Result::unwrap).collect();
    assert!(all.iter().step_by(2).all(|p| *p == all[0]) && all.iter().skip(1).step_by(2).all(|p| *p == all[1]));
    let mut built = log.built.lock().unwrap().clone();
    built.sort_unstable();
    assert_eq!(built, ["notes", "users"], "one creation per type");
}

#[tokio::test]
async fn each_type_is_disposed_in_reverse_creation_order() {
    let (app, log) = app();
    app.resolve::<Arc<Repo<User>>>().await.unwrap();
    app.resolve::<Arc<Repo<Note>>>().await.unwrap();
    bounded("the disposal", app.dispose()).await.unwrap();
    assert_eq!(*log.disposed.lock().unwrap(), ["notes", "users"]);
}

/// A child container sees its parent's generic singletons.
mod children {
    use super::*;

    container! {
        pub struct Parent {
            value Log;
            singleton Db;
            singleton<T: Entity> Repo<T>;
            child pub struct Admin {
                scoped<T: Entity> UnitOfWork<T>;
            }
        }
    }

    #[tokio::test]
    async fn a_child_shares_its_parents_instance_of_each_type() {
        let parent = Parent::new(Arc::new(Log::default()));
        let admin = Admin::new(&parent);
        let from_child = admin.create_scope().resolve::<Arc<UnitOfWork<Note>>>().await.unwrap();
        assert!(Arc::ptr_eq(&from_child.repo, &parent.resolve::<Arc<Repo<Note>>>().await.unwrap()));
    }
}

/// A trait bound to one type of a generic registration: the binding hands out that type's
/// instance, as it would a written-out registration's.
mod bound {
    use super::*;

    pub trait Notes: Send + Sync {
        fn table(&self) -> &'static str;
    }

    impl Notes for Repo<Note> {
        fn table(&self) -> &'static str {
            Repo::table(self)
        }
    }

    container! {
        pub struct Bound {
            value Log;
            singleton Db;
            singleton<T: Entity> Repo<T>;
            singleton dyn Notes => Repo<Note>;
        }
    }

    #[tokio::test]
    async fn a_binding_to_one_type_shares_its_instance() {
        let app = Bound::new(Arc::new(Log::default()));
        let notes = app.resolve::<Arc<dyn Notes>>().await.unwrap();
        let repo = app.resolve::<Arc<Repo<Note>>>().await.unwrap();
        assert_eq!(notes.table(), "notes");
        assert_eq!(Arc::as_ptr(&notes).cast::<()>(), Arc::as_ptr(&repo).cast::<()>());
    }
}
