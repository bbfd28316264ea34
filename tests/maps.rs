//! Keyed maps: `singleton dyn Handler += Users, key = "users";` makes `Users` the entry `"users"`
//! of the `HashMap<&'static str, Arc<dyn Handler>>` map, beside the `Vec` of every member. Each
//! member keeps its lifetime; the map is built on each resolve, like the `Vec`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use injectq::{container, injectable};
use support::bounded;

mod support;

pub trait Handler: Send + Sync {
    fn handle(&self) -> String;
}

/// How many handlers were built.
#[derive(Default)]
pub struct Built(AtomicUsize);

#[injectable(init = Self::count)]
pub struct Users {
    built: Arc<Built>,
}

impl Users {
    async fn count(&mut self) {
        self.built.0.fetch_add(1, SeqCst);
    }
}

#[injectable]
pub struct Posts;

/// A request's handler: scoped.
#[injectable]
pub struct Session;

impl Handler for Users {
    fn handle(&self) -> String {
        "users".into()
    }
}
impl Handler for Posts {
    fn handle(&self) -> String {
        "posts".into()
    }
}
impl Handler for Session {
    fn handle(&self) -> String {
        "session".into()
    }
}

/// Routes by name, as a router would.
#[injectable]
pub struct Router {
    handlers: HashMap<&'static str, Arc<dyn Handler>>,
}

impl Router {
    fn route(&self, path: &str) -> Option<String> {
        self.handlers.get(path).map(|h| h.handle())
    }
}

container! {
    pub struct App {
        value Built;
        singleton dyn Handler += Users, key = "users";
        transient dyn Handler += Posts, key = "posts";
        scoped dyn Handler += Session, key = "session";
        scoped Router;
    }
}

#[tokio::test]
async fn a_map_holds_each_member_under_its_key_with_its_lifetime() {
    let built = Arc::new(Built::default());
    let app = App::new(Arc::clone(&built));
    let scope = app.create_scope();
    let router = scope.resolve::<Arc<Router>>().await.unwrap();
    assert_eq!(router.route("users").as_deref(), Some("users"));
    assert_eq!(router.route("posts").as_deref(), Some("posts"));
    assert_eq!(router.route("session").as_deref(), Some("session"));
    assert_eq!(router.route("nothing"), None);

    let again: HashMap<&'static str, Arc<dyn Handler>> = scope.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&router.handlers["users"], &again["users"]), "the singleton member is shared");
    assert!(!Arc::ptr_eq(&router.handlers["posts"], &again["posts"]), "the transient member is new");
    assert!(Arc::ptr_eq(&router.handlers["session"], &again["session"]), "the scoped member is the scope's");
    let other: HashMap<&'static str, Arc<dyn Handler>> = app.create_scope().resolve().await.unwrap();
    assert!(!Arc::ptr_eq(&router.handlers["session"], &other["session"]), "another scope, another member");

    // the members are the `Vec`'s too, in registration order
    let all: Vec<Arc<dyn Handler>> = scope.resolve().await.unwrap();
    assert_eq!(all.iter().map(|h| h.handle()).collect::<Vec<_>>(), ["users", "posts", "session"]);
}

/// 64 resolves of the map at once: its singleton member is built once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_maps_singleton_member_is_built_once_under_concurrency() {
    let built = Arc::new(Built::default());
    let app = App::new(Arc::clone(&built));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let scope = app.create_scope();
                let map = scope.resolve::<HashMap<&'static str, Arc<dyn Handler>>>().await.unwrap();
                let users = Arc::clone(&map["users"]);
                scope.dispose().await.unwrap();
                users
            })
        })
        .collect();
    let all = bounded("the resolves", futures_util::future::join_all(tasks)).await;
    let first = all[0].as_ref().unwrap();
    assert!(all.iter().all(|u| Arc::ptr_eq(first, u.as_ref().unwrap())));
    assert_eq!(built.0.load(SeqCst), 1);
}

/// Keys of an enum (its type read from the variant), and of a written type.
mod keyed_by_enum {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Route {
        Users,
        Posts,
    }

    pub const ADMIN: u16 = 8080;

    container! {
        pub struct Routes {
            value Built;
            singleton dyn Handler += Users, key = Route::Users;
            singleton dyn Handler += Posts, key = Route::Posts;
        }
    }

    container! {
        pub struct Ports {
            singleton dyn Handler += Posts, key: u16 = ADMIN;
            singleton dyn Handler += Session, key = 80u16;
        }
    }

    #[tokio::test]
    async fn any_constant_is_a_key() {
        let routes = Routes::new(Arc::new(Built::default()));
        let map: HashMap<Route, Arc<dyn Handler>> = routes.resolve().await.unwrap();
        assert_eq!(map[&Route::Users].handle(), "users");
        assert_eq!(map[&Route::Posts].handle(), "posts");
        let ports: Arc<HashMap<u16, Arc<dyn Handler>>> = Ports::new().resolve().await.unwrap();
        assert_eq!((ports[&8080].handle(), ports[&80].handle()), ("posts".into(), "session".into()));
    }
}

/// A map whose members come from two modules, imported together: one map, every key.
mod from_modules {
    use super::*;

    injectq::module! {
        pub people {
            value crate::Built;
            singleton dyn crate::Handler += crate::Users, key = "users";
        }
    }

    injectq::module! {
        pub blog {
            singleton dyn crate::Handler += crate::Posts, key = "posts";
        }
    }

    container! {
        pub struct Site {
            import people;
            import blog;
            scoped dyn Handler += Session, key = "session";
        }
    }

    #[tokio::test]
    async fn members_from_every_imported_module_are_in_one_map() {
        let site = Site::new(Arc::new(Built::default()));
        let map: HashMap<&'static str, Arc<dyn Handler>> = site.create_scope().resolve().await.unwrap();
        let mut keys: Vec<_> = map.keys().copied().collect();
        keys.sort_unstable();
        assert_eq!(keys, ["posts", "session", "users"]);
        let all: Vec<Arc<dyn Handler>> = site.create_scope().resolve().await.unwrap();
        assert_eq!(all.len(), 3, "and the `Vec` of every member, the modules' included");
    }
}

/// Code written once against a `#[provides]` trait resolves the map, from the production
/// container and from a test container that swaps one handler.
mod generic {
    use super::*;

    injectq::module! {
        pub handlers {
            value crate::Built;
            singleton dyn crate::Handler += crate::Users, key = "users";
        }
    }

    container! {
        #[provides(SiteServices)]
        pub struct Production {
            import handlers;
            singleton dyn Handler += Posts, key = "posts";
        }
    }

    mod testing {
        injectq::container! {
            pub struct TestSite {
                import super::handlers;
                // the route served by a stand-in; the real handler stays registered
                singleton crate::Posts;
                singleton dyn crate::Handler += crate::Session, key = "posts";
            }
        }
    }

    async fn route<C: SiteServices>(app: &C, path: &str) -> String {
        let scope = app.create_scope();
        let map = injectq::Provide::<HashMap<&'static str, Arc<dyn Handler>>>::provide(&scope).await.unwrap();
        map[path].handle()
    }

    #[tokio::test]
    async fn generic_code_resolves_the_map_of_either_container() {
        let production = Production::new(Arc::new(Built::default()));
        assert_eq!(route(&production, "posts").await, "posts");
        let test = testing::TestSite::new(Arc::new(Built::default()));
        assert_eq!(route(&test, "posts").await, "session");
        assert_eq!(route(&test, "users").await, "users");
    }
}
