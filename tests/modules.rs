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
