//! Choices: `singleton dyn Mailer => match Profile { Profile::Live => Smtp, Profile::Test => Outbox };`
//! registers every alternative (each checked at compile time, chosen or not) and builds only the
//! one the selector picks, when the service is built: by a value, a scope's input, or a
//! constant such as `cfg!(feature = "..")`.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use injectq::{AsyncDispose, BoxError, container, factory, injectable};
use support::bounded;

mod support;

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

/// Which environment this is: the selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Live,
    Staging,
    Test,
}

/// What each test's services did.
#[derive(Default)]
pub struct Log {
    smtp: AtomicUsize,
    outbox: AtomicUsize,
    disposed: Mutex<Vec<&'static str>>,
}

#[injectable(init = Self::open, dispose)]
pub struct Smtp {
    log: Arc<Log>,
}

impl Smtp {
    async fn open(&mut self) {
        self.log.smtp.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl AsyncDispose for Smtp {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.disposed.lock().unwrap().push("smtp");
        Ok(())
    }
}

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("smtp:{to}")
    }
}

#[injectable(init = Self::open, dispose)]
pub struct Outbox {
    log: Arc<Log>,
}

impl Outbox {
    async fn open(&mut self) {
        self.log.outbox.fetch_add(1, SeqCst);
    }
}

impl AsyncDispose for Outbox {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.disposed.lock().unwrap().push("outbox");
        Ok(())
    }
}

impl Mailer for Outbox {
    fn send(&self, to: &str) -> String {
        format!("outbox:{to}")
    }
}

container! {
    pub struct App {
        value Log;
        value Profile;
        singleton dyn Mailer => match Profile {
            Profile::Live | Profile::Staging => Smtp,
            Profile::Test => Outbox,
        };
    }
}

fn app_for(profile: Profile) -> (App, Arc<Log>) {
    let log = Arc::new(Log::default());
    (App::new(Arc::clone(&log), Arc::new(profile)), log)
}

#[tokio::test]
async fn the_selector_picks_the_alternative_and_only_it_is_built_and_disposed() {
    let (app, log) = app_for(Profile::Live);
    app.start().await.unwrap();
    assert_eq!((log.smtp.load(SeqCst), log.outbox.load(SeqCst)), (1, 0), "start builds the chosen one only");
    assert_eq!(app.resolve::<Arc<dyn Mailer>>().await.unwrap().send("ada"), "smtp:ada");
    app.dispose().await.unwrap();
    assert_eq!(*log.disposed.lock().unwrap(), ["smtp"]);

    let (app, log) = app_for(Profile::Test);
    assert_eq!(app.resolve::<Arc<dyn Mailer>>().await.unwrap().send("ada"), "outbox:ada");
    app.dispose().await.unwrap();
    assert_eq!((log.smtp.load(SeqCst), log.outbox.load(SeqCst)), (0, 1));
    assert_eq!(*log.disposed.lock().unwrap(), ["outbox"]);
}

#[tokio::test]
async fn the_chosen_instance_is_the_alternatives_own() {
    let (app, log) = app_for(Profile::Staging);
    let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
    let smtp = app.resolve::<Arc<Smtp>>().await.unwrap();
    assert_eq!(Arc::as_ptr(&mailer).cast::<()>(), Arc::as_ptr(&smtp).cast::<()>(), "one instance");
    assert_eq!(log.smtp.load(SeqCst), 1);
}

/// 64 resolves at once of a choice nobody made yet: the choice is made, and the chosen one
/// built, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_singleton_choice_is_made_once_under_concurrency() {
    let (app, log) = app_for(Profile::Live);
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.resolve::<Arc<dyn Mailer>>().await.unwrap() })
        })
        .collect();
    let all = bounded("the resolves", futures_util::future::join_all(tasks)).await;
    let first = all[0].as_ref().unwrap();
    assert!(all.iter().all(|m| Arc::ptr_eq(first, m.as_ref().unwrap())));
    assert_eq!((log.smtp.load(SeqCst), log.outbox.load(SeqCst)), (1, 0));
}

/// A scoped choice by the scope's input: each request chooses for itself, among singletons.
mod per_request {
    use super::*;

    /// The caller's plan: an input.
    pub struct Plan(pub &'static str);

    container! {
        pub struct Plans {
            value Log;
            input Plan;
            singleton Smtp;
            singleton Outbox;
            scoped dyn Mailer => match Plan {
                Plan(plan) if *plan == "paid" => Smtp,
                _ => Outbox,
            };
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_scope_chooses_by_its_input() {
        let log = Arc::new(Log::default());
        let app = Plans::new(Arc::clone(&log));
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let app = app.clone();
                tokio::spawn(async move {
                    let plan = if i % 2 == 0 { "paid" } else { "free" };
                    let scope = app.create_scope_with(Plan(plan));
                    let sent = scope.resolve::<Arc<dyn Mailer>>().await.unwrap().send("x");
                    scope.dispose().await.unwrap();
                    (plan, sent)
                })
            })
            .collect();
        for done in bounded("the requests", futures_util::future::join_all(tasks)).await {
            let (plan, sent) = done.unwrap();
            assert_eq!(sent, if plan == "paid" { "smtp:x" } else { "outbox:x" });
        }
        assert_eq!((log.smtp.load(SeqCst), log.outbox.load(SeqCst)), (1, 1), "the singletons, once each");
    }
}

/// A transient choice by a constant (here `cfg!(debug_assertions)`; `cfg!(feature = "..")` the
/// same way): the alternative not chosen is still compiled and checked.
mod by_a_constant {
    use super::*;

    pub trait Codec: Send + Sync {
        fn name(&self) -> &'static str;
    }

    #[injectable]
    pub struct Readable;

    impl Codec for Readable {
        fn name(&self) -> &'static str {
            "readable"
        }
    }

    #[injectable]
    pub struct Compact;

    impl Codec for Compact {
        fn name(&self) -> &'static str {
            "compact"
        }
    }

    container! {
        pub struct Codecs {
            transient dyn Codec => match cfg!(debug_assertions) {
                true => Readable,
                false => Compact,
            };
        }
    }

    #[tokio::test]
    async fn a_constant_chooses_and_each_resolve_is_new() {
        let app = Codecs::new();
        let expected = if cfg!(debug_assertions) { "readable" } else { "compact" };
        assert_eq!(app.resolve::<Box<dyn Codec>>().await.unwrap().name(), expected);
        let scope = app.create_scope();
        let (a, b) =
            (scope.resolve::<Arc<dyn Codec>>().await.unwrap(), scope.resolve::<Arc<dyn Codec>>().await.unwrap());
        assert!(!Arc::ptr_eq(&a, &b), "a transient: a new value each time");
    }
}

/// A chosen binding, decorated: whatever is chosen is decorated.
mod decorated {
    use super::*;

    struct Signed(Arc<dyn Mailer>);

    impl Mailer for Signed {
        fn send(&self, to: &str) -> String {
            format!("signed({})", self.0.send(to))
        }
    }

    #[factory]
    fn signed(#[inner] inner: Arc<dyn Mailer>) -> Arc<dyn Mailer> {
        Arc::new(Signed(inner))
    }

    container! {
        pub struct Signing {
            value Log;
            value Profile;
            singleton dyn Mailer => match Profile { Profile::Test => Outbox, _ => Smtp };
            decorate dyn Mailer = signed;
        }
    }

    #[tokio::test]
    async fn the_chosen_alternative_is_decorated() {
        let app = Signing::new(Arc::new(Log::default()), Arc::new(Profile::Test));
        assert_eq!(app.resolve::<Arc<dyn Mailer>>().await.unwrap().send("ada"), "signed(outbox:ada)");
        let app = Signing::new(Arc::new(Log::default()), Arc::new(Profile::Live));
        assert_eq!(app.resolve::<Arc<dyn Mailer>>().await.unwrap().send("ada"), "signed(smtp:ada)");
    }
}

/// A choice declared by a module, imported among others, and a test container that overrides
/// the chosen service: the choice is each importing container's own.
mod from_a_module {
    use super::*;

    injectq::module! {
        pub mail {
            value crate::Log;
            value crate::Profile;
            singleton dyn crate::Mailer => match crate::Profile {
                crate::Profile::Test => crate::Outbox,
                _ => crate::Smtp,
            };
        }
    }

    injectq::module! {
        pub other {
            singleton crate::from_a_module::Clock;
        }
    }

    #[injectable]
    pub struct Clock;

    container! {
        #[provides(MailServices)]
        pub struct Imported {
            import other;
            import mail;
        }
    }

    async fn send<C: MailServices>(app: &C) -> String {
        app.resolve::<Arc<dyn Mailer>>().await.unwrap().send("ada")
    }

    #[tokio::test]
    async fn a_modules_choice_chooses_in_the_importing_container() {
        let live = Imported::new(Arc::new(Log::default()), Arc::new(Profile::Live));
        assert_eq!(send(&live).await, "smtp:ada");
        let test = Imported::new(Arc::new(Log::default()), Arc::new(Profile::Test));
        assert_eq!(send(&test).await, "outbox:ada");
    }
}
