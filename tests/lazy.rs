//! `Lazy<T>` and `Provider<T>`: deferred resolution through weak handles. They break cycles on
//! purpose, never keep a container alive, and report a cycle awaited inside its own construction.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use injectq::{ErrorKind, Lazy, Provider, container, injectable};
use support::Failure;

mod support;

mod forward_ref {
    use super::*;

    static ORDERS_DROPPED: AtomicUsize = AtomicUsize::new(0);
    static CUSTOMERS_DROPPED: AtomicUsize = AtomicUsize::new(0);
    static CUSTOMERS_BUILT: AtomicUsize = AtomicUsize::new(0);

    /// Ascender's `DependencyForwardRef`: `Orders` needs `Customers`, which needs `Orders`.
    #[injectable]
    pub struct Orders {
        customers: Lazy<Customers>,
    }

    #[injectable(init = count)]
    pub struct Customers {
        orders: Arc<Orders>,
    }

    impl Customers {
        async fn count(&mut self) -> Result<(), Failure> {
            tokio::time::sleep(Duration::from_millis(5)).await;
            CUSTOMERS_BUILT.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    impl Drop for Orders {
        fn drop(&mut self) {
            ORDERS_DROPPED.fetch_add(1, SeqCst);
        }
    }

    impl Drop for Customers {
        fn drop(&mut self) {
            CUSTOMERS_DROPPED.fetch_add(1, SeqCst);
        }
    }

    container! {
        pub struct Shop {
            singleton Orders;
            singleton Customers;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn both_sides_of_a_lazy_cycle_work_resolve_once_and_are_freed_with_the_container() {
        let shop = Shop::new();
        let orders = shop.resolve::<Arc<Orders>>().await.unwrap();
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let orders = Arc::clone(&orders);
                tokio::spawn(async move { orders.customers.get().await.unwrap() })
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.push(task.await.unwrap());
        }
        assert_eq!(CUSTOMERS_BUILT.load(SeqCst), 1, "resolved at most once however many tasks ask");
        assert!(all.iter().all(|c| Arc::ptr_eq(c, &all[0])));
        assert!(Arc::ptr_eq(&all[0].orders, &orders), "the cycle closes on the same instances");

        // a Lazy that outlives its container
        let lazy: Lazy<Customers> = shop.resolve().await.unwrap();
        drop((orders, all, shop));
        assert_eq!((ORDERS_DROPPED.load(SeqCst), CUSTOMERS_DROPPED.load(SeqCst)), (1, 1), "nothing leaked");
        assert_eq!(lazy.get().await.err().unwrap().kind(), ErrorKind::ContainerDropped);
    }
}

mod providers {
    use super::*;

    static A_DROPPED: AtomicUsize = AtomicUsize::new(0);
    static B_DROPPED: AtomicUsize = AtomicUsize::new(0);

    #[injectable]
    pub struct A {
        b: Provider<Arc<B>>,
        reports: Provider<Report>,
    }

    #[injectable]
    pub struct B {
        a: Arc<A>,
    }

    static REPORTS: AtomicUsize = AtomicUsize::new(0);

    #[injectable(init = number)]
    pub struct Report {
        #[inject(default)]
        n: usize,
    }

    impl Report {
        async fn number(&mut self) -> Result<(), Failure> {
            self.n = REPORTS.fetch_add(1, SeqCst);
            Ok(())
        }
    }

    impl Drop for A {
        fn drop(&mut self) {
            A_DROPPED.fetch_add(1, SeqCst);
        }
    }

    impl Drop for B {
        fn drop(&mut self) {
            B_DROPPED.fetch_add(1, SeqCst);
        }
    }

    container! {
        pub struct App {
            singleton A;
            singleton B;
            transient Report;
        }
    }

    #[tokio::test]
    async fn a_provider_resolves_at_every_get_and_breaks_cycles_without_leaking() {
        let app = App::new();
        let a = app.resolve::<Arc<A>>().await.unwrap();
        let b1 = a.b.get().await.unwrap();
        let b2 = a.b.get().await.unwrap();
        assert!(Arc::ptr_eq(&b1, &b2), "a singleton stays one");
        assert!(Arc::ptr_eq(&b1.a, &a));
        let r1 = a.reports.get().await.unwrap();
        let r2 = a.reports.get().await.unwrap();
        assert_ne!(r1.n, r2.n, "a transient is new at each get");

        let provider = a.reports.clone();
        drop((a, b1, b2, app));
        assert_eq!((A_DROPPED.load(SeqCst), B_DROPPED.load(SeqCst)), (1, 1), "nothing leaked");
        assert_eq!(provider.get().await.err().unwrap().kind(), ErrorKind::ContainerDropped);
    }
}

mod scoped_lazy {
    use super::*;

    #[injectable]
    pub struct Session;

    #[injectable]
    pub struct Handler {
        session: Lazy<Session>,
    }

    container! {
        pub struct App {
            scoped Session;
            scoped Handler;
        }
    }

    #[tokio::test]
    async fn a_lazy_scoped_service_is_the_scopes_instance() {
        let app = App::new();
        let s1 = app.create_scope();
        let h = s1.resolve::<Arc<Handler>>().await.unwrap();
        let direct = s1.resolve::<Arc<Session>>().await.unwrap();
        assert!(Arc::ptr_eq(&h.session.get().await.unwrap(), &direct));
        let other = app.create_scope().resolve::<Arc<Session>>().await.unwrap();
        assert!(!Arc::ptr_eq(&h.session.get().await.unwrap(), &other));
    }
}

mod cycle_awaited_in_construction {
    use super::*;

    /// Awaits its own cycle in its init hook: `Ping` is still being built when `Pong` needs it.
    #[injectable(init = warm_up)]
    pub struct Ping {
        pong: Lazy<Pong>,
    }

    impl Ping {
        async fn warm_up(&mut self) -> Result<(), injectq::Error> {
            // let a concurrent start-up begin `Pong` first: then the loop crosses two chains
            tokio::task::yield_now().await;
            self.pong.get().await.map(drop)
        }
    }

    #[injectable]
    pub struct Pong {
        _ping: Arc<Ping>,
    }

    container! {
        pub struct App {
            singleton Ping;
            singleton Pong;
        }
    }

    #[tokio::test]
    async fn it_is_an_error_naming_the_loop_not_a_deadlock() {
        let app = App::new();
        let resolved = tokio::time::timeout(Duration::from_secs(5), app.resolve::<Arc<Ping>>())
            .await
            .expect("a cycle awaited in construction must not deadlock");
        let err = resolved.err().expect("the cycle is an error");
        let message = err.to_string();
        assert!(
            message.contains("`Ping` -> `Pong` -> `Ping`: dependency cycle at run time: `Ping` awaited itself"),
            "{message}"
        );
        println!("{err}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn started_concurrently_both_ends_fail_with_the_cycle_instead_of_deadlocking() {
        for _ in 0..50 {
            let app = App::new();
            let started = tokio::time::timeout(Duration::from_secs(5), app.start())
                .await
                .expect("concurrent constructions of a cycle must not deadlock");
            let err = started.expect_err("the cycle is an error");
            assert!(err.to_string().contains("dependency cycle at run time"), "{err}");
        }
    }
}
