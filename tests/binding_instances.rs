//! A shared binding hands out its implementation's own instance: `singleton dyn Mailer => Smtp;`
//! beside `singleton Smtp;` is one `Smtp`, created once and disposed once, however it is asked
//! for, by tasks racing on the multi-thread runtime. A factory-built implementation backs its own
//! registration and its bindings; several bindings of one implementation share it; a binding
//! in one module aliases an implementation registered in another, and a child container's
//! binding its parent's singleton.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, Lazy, container, factory, injectable};

/// How many of each were made and disposed, per container.
#[derive(Default)]
pub struct Counts {
    made: AtomicUsize,
    disposed: AtomicUsize,
}

impl Counts {
    fn get(&self) -> (usize, usize) {
        (self.made.load(Ordering::SeqCst), self.disposed.load(Ordering::SeqCst))
    }
}

pub trait Mailer: Send + Sync {
    fn counts(&self) -> &Counts;
}

pub trait Health: Send + Sync {
    fn ok(&self) -> bool;
}

/// Built by `#[injectable]`, slowly (so that racing resolves overlap), and disposable.
#[injectable(dispose, init = Self::connect)]
pub struct Smtp {
    counts: Arc<Counts>,
}

impl Smtp {
    async fn connect(&mut self) {
        self.counts.made.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl AsyncDispose for Smtp {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.counts.disposed.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl Mailer for Smtp {
    fn counts(&self) -> &Counts {
        &self.counts
    }
}

impl Health for Smtp {
    fn ok(&self) -> bool {
        true
    }
}

/// The data address of a trait object or a struct behind an `Arc`: one instance, one address.
fn address<T: ?Sized>(shared: &Arc<T>) -> usize {
    Arc::as_ptr(shared).cast::<()>() as usize
}

/// Resolves `Arc<dyn Mailer>`, `Arc<Smtp>` and `Arc<dyn Health>` from 64 tasks at once, and
/// returns the addresses each saw.
macro_rules! race {
    ($container:expr) => {{
        let container = $container.clone();
        let tasks: Vec<_> = (0..64)
            .map(|i| {
                let container = container.clone();
                tokio::spawn(async move {
                    match i % 3 {
                        0 => address(&container.resolve::<Arc<dyn Mailer>>().await.unwrap()),
                        1 => address(&container.resolve::<Arc<Smtp>>().await.unwrap()),
                        _ => address(&container.resolve::<Arc<dyn Health>>().await.unwrap()),
                    }
                })
            })
            .collect();
        let mut seen = Vec::new();
        for task in tasks {
            seen.push(task.await.unwrap());
        }
        seen
    }};
}

mod registered_beside {
    use super::*;

    container! {
        pub struct App {
            value Counts;
            singleton Smtp;
            singleton dyn Mailer => Smtp;
            singleton dyn Health => Smtp;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_trait_objects_are_the_registered_instance_created_and_disposed_once() {
        tokio::time::timeout(Duration::from_secs(10), async {
            let app = App::new(Counts::default());
            let seen = race!(app);
            assert!(seen.iter().all(|a| *a == seen[0]), "one instance for every shape: {seen:?}");
            let counts = app.resolve::<Arc<Counts>>().await.unwrap();
            assert_eq!(counts.get(), (1, 0), "created once");
            // through `Lazy`, from a scope, and without awaiting: the same one
            let lazy: Lazy<dyn Mailer> = app.resolve().await.unwrap();
            assert_eq!(address(&lazy.get().await.unwrap()), seen[0]);
            let from_scope = app.create_scope().resolve::<Arc<dyn Health>>().await.unwrap();
            assert_eq!(address(&from_scope), seen[0]);
            assert_eq!(address(&app.get::<Arc<dyn Mailer>>().unwrap()), seen[0]);
            app.dispose().await.unwrap();
            assert_eq!(counts.get(), (1, 1), "disposed once");
        })
        .await
        .expect("no deadlock");
    }

    #[tokio::test]
    async fn asked_first_as_the_trait_the_implementation_is_still_created_once() {
        let app = App::new(Counts::default());
        let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
        let smtp = app.resolve::<Arc<Smtp>>().await.unwrap();
        assert_eq!(address(&mailer), address(&smtp));
        assert_eq!(mailer.counts().get(), (1, 0));
    }
}

mod implied {
    use super::*;

    // `Smtp` is registered by its first binding; the other binding shares it
    container! {
        pub struct App {
            value Counts;
            singleton dyn Mailer => Smtp;
            singleton dyn Health => Smtp;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_implementation_of_two_bindings_is_one_instance_and_can_be_asked_for() {
        tokio::time::timeout(Duration::from_secs(10), async {
            let app = App::new(Counts::default());
            let seen = race!(app);
            assert!(seen.iter().all(|a| *a == seen[0]), "{seen:?}");
            let counts = app.resolve::<Arc<Counts>>().await.unwrap();
            app.dispose().await.unwrap();
            assert_eq!(counts.get(), (1, 1));
        })
        .await
        .expect("no deadlock");
    }

    #[test]
    fn the_graph_shows_the_implementation_each_binding_hands_out() {
        let graph = App::graph();
        let services: Vec<_> = graph.services().map(|s| (s.name, s.dependencies)).collect();
        assert_eq!(
            services,
            [("Counts", vec![]), ("Smtp", vec!["Counts"]), ("dyn Mailer", vec!["Smtp"]), ("dyn Health", vec!["Smtp"])]
        );
    }
}

/// A type from another crate: built by a factory, closed by a hook.
pub struct Relay {
    counts: Arc<Counts>,
}

impl Mailer for Relay {
    fn counts(&self) -> &Counts {
        &self.counts
    }
}

#[factory]
async fn open_relay(counts: Arc<Counts>) -> Result<Relay, std::io::Error> {
    counts.made.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(10)).await;
    Ok(Relay { counts })
}

async fn close_relay(relay: &Relay) {
    relay.counts.disposed.fetch_add(1, Ordering::SeqCst);
}

mod by_a_factory {
    use super::*;

    container! {
        pub struct App {
            value Counts;
            singleton Relay = open_relay, dispose = close_relay;
            singleton dyn Mailer => Relay;
        }
    }

    container! {
        pub struct Bound {
            value Counts;
            singleton dyn Mailer => Relay = open_relay, dispose = close_relay;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_factory_built_type_backs_its_own_registration_and_a_trait_object() {
        tokio::time::timeout(Duration::from_secs(10), async {
            let app = App::new(Counts::default());
            let tasks: Vec<_> = (0..32)
                .map(|i| {
                    let app = app.clone();
                    tokio::spawn(async move {
                        if i % 2 == 0 {
                            address(&app.resolve::<Arc<dyn Mailer>>().await.unwrap())
                        } else {
                            address(&app.resolve::<Arc<Relay>>().await.unwrap())
                        }
                    })
                })
                .collect();
            let mut seen = Vec::new();
            for task in tasks {
                seen.push(task.await.unwrap());
            }
            assert!(seen.iter().all(|a| *a == seen[0]), "{seen:?}");
            let counts = app.resolve::<Arc<Counts>>().await.unwrap();
            app.dispose().await.unwrap();
            assert_eq!(counts.get(), (1, 1), "one relay, closed once");
        })
        .await
        .expect("no deadlock");
    }

    #[tokio::test]
    async fn a_binding_with_a_factory_registers_its_implementation_once() {
        let bound = Bound::new(Counts::default());
        let mailer = bound.resolve::<Arc<dyn Mailer>>().await.unwrap();
        let relay = bound.resolve::<Arc<Relay>>().await.unwrap();
        assert_eq!(address(&mailer), address(&relay));
        let counts = bound.resolve::<Arc<Counts>>().await.unwrap();
        bound.dispose().await.unwrap();
        assert_eq!(counts.get(), (1, 1));
    }
}

mod scoped_and_transient {
    use super::*;

    pub trait Unit: Send + Sync {}

    #[injectable]
    pub struct Transaction;

    impl Unit for Transaction {}

    pub trait Codec: Send + Sync {
        fn name(&self) -> &'static str;
    }

    pub struct Json(&'static str);

    impl Codec for Json {
        fn name(&self) -> &'static str {
            self.0
        }
    }

    #[factory]
    fn make_json() -> Json {
        Json("json")
    }

    container! {
        pub struct App {
            scoped Transaction;
            scoped dyn Unit => Transaction;
            transient Json = make_json;
            transient dyn Codec => Json;
        }
    }

    #[tokio::test]
    async fn a_scoped_binding_is_the_scope_s_instance() {
        let app = App::new();
        let (one, two) = (app.create_scope(), app.create_scope());
        let unit = one.resolve::<Arc<dyn Unit>>().await.unwrap();
        assert_eq!(address(&unit), address(&one.resolve::<Arc<Transaction>>().await.unwrap()));
        assert_ne!(address(&unit), address(&two.resolve::<Arc<dyn Unit>>().await.unwrap()));
    }

    #[tokio::test]
    async fn a_transient_binding_builds_its_implementation_as_registered() {
        // `Json` is not `#[injectable]`: the binding builds it with its registration's factory
        let codec: Box<dyn Codec> = App::new().resolve().await.unwrap();
        assert_eq!(codec.name(), "json");
    }
}

/// A binding in one module of an implementation that another module registers.
mod across_modules {
    use super::*;

    injectq::module! {
        pub mail {
            singleton dyn crate::Mailer => crate::Smtp;
        }
    }

    injectq::module! {
        pub smtp {
            value crate::Counts;
            singleton crate::Smtp;
        }
    }

    container! {
        pub struct App {
            import mail;
            import smtp;
        }
    }

    #[tokio::test]
    async fn the_binding_is_the_other_module_s_instance() {
        let app = App::new(Counts::default());
        let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
        assert_eq!(address(&mailer), address(&app.resolve::<Arc<Smtp>>().await.unwrap()));
        assert_eq!(mailer.counts().get(), (1, 0));
    }
}

mod in_a_child {
    use super::*;

    container! {
        pub struct App {
            value Counts;
            singleton Smtp;

            child pub struct Admin {
                singleton dyn Mailer => Smtp;
            }
        }
    }

    #[tokio::test]
    async fn a_child_s_binding_is_its_parent_s_singleton() {
        let app = App::new(Counts::default());
        let admin = Admin::new(&app);
        let mailer = admin.resolve::<Arc<dyn Mailer>>().await.unwrap();
        assert_eq!(address(&mailer), address(&app.resolve::<Arc<Smtp>>().await.unwrap()));
        admin.dispose().await.unwrap();
        app.dispose().await.unwrap();
        assert_eq!(mailer.counts().get(), (1, 1), "disposed by its owner, the parent, once");
    }
}
