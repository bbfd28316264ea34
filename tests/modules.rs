//! Modules: named groups of registrations, defined once, imported into several containers, from
//! this crate or another, with every check still at compile time; and test overrides.

use std::sync::Arc;

use injectq::{container, injectable};
use injectq_test_catalog::{Catalog, CatalogUrl, Prices, Store};

pub mod time {
    use injectq::injectable;

    pub trait Clock: Send + Sync {
        fn now(&self) -> u64;
    }

    #[injectable]
    pub struct SystemClock;

    impl Clock for SystemClock {
        fn now(&self) -> u64 {
            1_700_000_000
        }
    }

    injectq::module! {
        /// The clock.
        pub clock {
            singleton dyn crate::time::Clock => crate::time::SystemClock;
        }
    }
}

pub mod billing {
    use std::sync::Arc;

    use injectq::injectable;

    #[injectable]
    pub struct Invoices {
        pub clock: Arc<dyn crate::time::Clock>,
    }

    injectq::module! {
        /// Billing: brings the clock module with it.
        pub billing {
            import crate::time::clock;
            transient crate::billing::Invoices;
        }
    }
}

container! {
    /// The shop: its own registrations, a module of this crate and one of another crate.
    pub struct Shop {
        token CatalogUrl;
        import injectq_test_catalog::catalog;
        import billing::billing;
    }
}

// A second container importing the same module: each gets its own singletons.
container! {
    pub struct Backoffice {
        import time::clock;
    }
}

#[tokio::test]
async fn a_module_of_another_crate_and_nested_modules_of_this_one() {
    let shop = Shop::new(CatalogUrl("mem://catalog".into()));
    let catalog: Catalog = shop.resolve().await.unwrap();
    assert_eq!(catalog.store.product(7), "product 7 from mem://catalog");
    assert_eq!(catalog.prices.0, 42);
    let prices: Arc<Prices> = shop.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&prices, &catalog.prices), "the module's singleton is the shop's");
    let invoices: billing::Invoices = shop.resolve().await.unwrap();
    assert_eq!(invoices.clock.now(), 1_700_000_000);
    let _: Arc<dyn Store> = shop.resolve().await.unwrap();

    let a = Backoffice::new().resolve::<Arc<dyn time::Clock>>().await.unwrap();
    let b = Backoffice::new().resolve::<Arc<dyn time::Clock>>().await.unwrap();
    assert!(!Arc::ptr_eq(&a, &b), "each container owns its singletons");
}

mod overrides {
    use super::*;
    use time::Clock;

    #[injectable]
    pub struct FakeClock;

    impl Clock for FakeClock {
        fn now(&self) -> u64 {
            42
        }
    }

    // the production declaration is untouched: the test imports its modules and overrides one
    // registration, at compile time, with no cost on the production path
    container! {
        struct TestShop {
            token CatalogUrl;
            import injectq_test_catalog::catalog;
            import billing::billing;
            override singleton dyn Clock => FakeClock;
        }
    }

    #[tokio::test]
    async fn a_test_replaces_a_registration_without_editing_production() {
        let shop = TestShop::new(CatalogUrl("mem://test".into()));
        let invoices: billing::Invoices = shop.resolve().await.unwrap();
        assert_eq!(invoices.clock.now(), 42);
        let production: Arc<dyn Clock> = Shop::new(CatalogUrl("mem://prod".into())).resolve().await.unwrap();
        assert_eq!(production.now(), 1_700_000_000);
    }
}

/// A module's registrations are replayed by its macro: the code written for a hook or an option
/// read from them works whichever order the modules are imported in, and whatever comes first.
mod import_order {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use injectq::{AsyncDispose, BoxError, container, injectable};

    pub static CLOSED: AtomicUsize = AtomicUsize::new(0);
    pub static SHUT: AtomicUsize = AtomicUsize::new(0);

    pub mod db {
        use std::sync::atomic::Ordering;

        pub struct Pool;

        #[injectq::factory]
        pub async fn open_pool() -> Result<Pool, std::io::Error> {
            Ok(Pool)
        }

        pub async fn close_pool(_pool: &Pool) {
            super::CLOSED.fetch_add(1, Ordering::SeqCst);
        }

        pub struct Queue;

        #[injectq::factory]
        pub fn open_queue() -> Queue {
            Queue
        }
    }

    impl AsyncDispose for db::Queue {
        async fn dispose(&self) -> Result<(), BoxError> {
            SHUT.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    #[injectable]
    pub struct Clock;

    injectq::module! {
        pub services {
            singleton crate::import_order::db::Pool = crate::import_order::db::open_pool, dispose = crate::import_order::db::close_pool;
            singleton crate::import_order::db::Queue = crate::import_order::db::open_queue, dispose;
        }
    }

    injectq::module! {
        pub more {
            singleton crate::import_order::Clock;
        }
    }

    container! {
        pub struct HooksFirst {
            import services;
            import more;
        }
    }

    container! {
        pub struct HooksLast {
            import more;
            import services;
        }
    }

    #[tokio::test]
    async fn hooks_of_a_module_run_whichever_order_modules_are_imported_in() {
        let first = HooksFirst::new();
        let _: Arc<db::Pool> = first.resolve().await.unwrap();
        let _: Arc<db::Queue> = first.resolve().await.unwrap();
        let _: Arc<Clock> = first.resolve().await.unwrap();
        let last = HooksLast::new();
        let _: Arc<db::Pool> = last.resolve().await.unwrap();
        let _: Arc<db::Queue> = last.resolve().await.unwrap();
        first.dispose().await.unwrap();
        last.dispose().await.unwrap();
        assert_eq!(CLOSED.load(Ordering::SeqCst), 2, "each container's pool closed by its hook");
        assert_eq!(SHUT.load(Ordering::SeqCst), 2, "each container's queue disposed");
    }
}

/// Services declared by a user's own `macro_rules!`, with parts given by its caller (an init hook,
/// a return type): what the macros write for their fields, options and hooks resolves as if written
/// by hand, although those parts carry another hygiene than the macro's own tokens.
mod declared_by_a_macro {
    use std::sync::Arc;

    use injectq::{container, injectable};

    injectq::token! {
        pub Retries: u32;
    }

    pub struct Conn(pub u32);

    macro_rules! service {
        ($name:ident, $init:path, $factory:ident -> $($out:tt)*) => {
            #[injectable(init = $init)]
            pub struct $name {
                #[inject(token = Retries)]
                pub retries: u32,
                #[inject(default = 2)]
                pub twice: u32,
                pub conn: Arc<Conn>,
                #[inject(default)]
                pub warmed: bool,
            }

            impl $name {
                async fn warm(&mut self) {
                    self.warmed = true;
                }
            }

            #[injectq::factory]
            pub fn $factory(retries: injectq::Tagged<Retries>) -> $($out)* {
                Ok(Conn(retries.0 * 10))
            }
        };
    }

    service!(Repo, Self::warm, connect -> Result<Conn, std::io::Error>);

    pub struct Limit(pub u32);

    // a return type given as a `ty` fragment reaches `#[factory]` wrapped in an invisible group
    macro_rules! factory_returning {
        ($name:ident -> $out:ty) => {
            #[injectq::factory]
            pub fn $name() -> $out {
                Ok(Limit(5))
            }
        };
    }

    factory_returning!(limit -> Result<Limit, std::io::Error>);

    container! {
        pub struct App {
            token Retries;
            singleton Conn = connect;
            singleton Limit = limit;
            transient Repo;
        }
    }

    #[tokio::test]
    async fn a_struct_and_a_factory_declared_by_macro_rules() {
        let app = App::new(Retries(3));
        let repo: Repo = app.resolve().await.unwrap();
        assert_eq!((repo.retries, repo.twice, repo.conn.0, repo.warmed), (3, 2, 30, true));
        assert_eq!(app.resolve::<Arc<Limit>>().await.unwrap().0, 5);
    }
}
