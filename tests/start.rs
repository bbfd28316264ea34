//! Eager start-up: one call creates every singleton, independent ones concurrently. A failed
//! start-up is in `tests/lifecycle.rs`.

use std::sync::Arc;
use std::time::Duration;

use injectq::{container, injectable};
use support::Failure;

mod support;

async fn work() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}

macro_rules! slow_service {
    ($name:ident $(, $dep:ident: $ty:ty)*) => {
        #[injectable(init = warm_up)]
        pub struct $name { $($dep: Arc<$ty>,)* }

        impl $name {
            async fn warm_up(&mut self) -> Result<(), Failure> {
                $(let _ = &self.$dep;)*
                work().await;
                Ok(())
            }
        }
    };
}

// ten singletons, three levels deep: the critical path is three sleeps, the sum is ten
slow_service!(Config);
slow_service!(Secrets);
slow_service!(Metrics);
slow_service!(Pool, config: Config);
slow_service!(Cache, config: Config);
slow_service!(Mailer, secrets: Secrets);
slow_service!(Queue, config: Config);
slow_service!(Users, pool: Pool, cache: Cache);
slow_service!(Billing, pool: Pool, mailer: Mailer);
slow_service!(Reports, pool: Pool, metrics: Metrics);

container! {
    pub struct App {
        singleton Config;
        singleton Secrets;
        singleton Metrics;
        singleton Pool;
        singleton Cache;
        singleton Mailer;
        singleton Queue;
        singleton Users;
        singleton Billing;
        singleton Reports;
    }
}

#[tokio::test(start_paused = true)]
async fn start_creates_every_singleton_along_the_critical_path() {
    let app = App::new();
    let t0 = tokio::time::Instant::now();
    app.start().await.unwrap();
    let elapsed = t0.elapsed();
    // the paused clock advances exactly by the sleeps that ran in sequence
    assert_eq!(elapsed, Duration::from_millis(150), "three levels of 50 ms, not ten");
    // everything exists: resolving now creates nothing and takes no time
    let t1 = tokio::time::Instant::now();
    app.resolve::<Arc<Reports>>().await.unwrap();
    app.resolve::<Arc<Queue>>().await.unwrap();
    assert_eq!(t1.elapsed(), Duration::ZERO);
}
