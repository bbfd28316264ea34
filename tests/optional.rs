//! Optional dependencies and fallbacks: `Option<T>` is `Some` when registered and `None` when
//! declared `absent`; `fallback = expr` fills in for an absent one; a failing resolution stays an
//! error unless you ask otherwise.

use std::sync::Arc;

use injectq::{ErrorKind, container, factory, inject, injectable, token};
use support::Failure;

mod support;

token! {
    pub Timeout: u64;
    pub Proxy: String;
}

#[injectable]
pub struct Metrics;

pub struct Tracer;

pub trait Cache: Send + Sync {}

pub struct Broken;

#[factory]
fn broken() -> Result<Broken, Failure> {
    Err(Failure("cannot connect"))
}

#[injectable]
pub struct Report {
    metrics: Option<Arc<Metrics>>,
    tracer: Option<Arc<Tracer>>,
    cache: Option<Arc<dyn Cache>>,
    #[inject(token = Timeout, fallback = 30)]
    timeout: u64,
    #[inject(token = Proxy, fallback = String::from("none"))]
    proxy: String,
    #[inject(fallback = Arc::new(Metrics))]
    more_metrics: Arc<Metrics>,
}

#[injectable]
pub struct NeedsBroken {
    _broken: Option<Arc<Broken>>,
}

container! {
    pub struct App {
        singleton Metrics;
        token Proxy;
        singleton Broken = broken;
        absent Tracer;
        absent dyn Cache;
        absent token Timeout;
        transient Report;
        transient NeedsBroken;
    }
}

#[tokio::test]
async fn registered_is_some_absent_is_none_and_fallbacks_fill_in() {
    let app = App::new(Proxy("socks5://proxy".into()));
    let report: Report = app.resolve().await.unwrap();
    assert!(report.metrics.is_some());
    assert!(report.tracer.is_none());
    assert!(report.cache.is_none());
    assert_eq!(report.timeout, 30, "absent token: the fallback");
    assert_eq!(report.proxy, "socks5://proxy", "registered token: its value, not the fallback");
    assert!(Arc::ptr_eq(&report.more_metrics, report.metrics.as_ref().unwrap()), "registered: not the fallback");
}

#[tokio::test]
async fn a_failing_optional_dependency_is_an_error_not_none() {
    let app = App::new(Proxy("p".into()));
    let err = app.resolve::<NeedsBroken>().await.err().expect("the factory fails");
    assert_eq!(err.kind(), ErrorKind::Factory);
}

/// The seeds' `async_service_with_fallback`: turning a failure into a fallback is explicit.
#[tokio::test]
async fn a_fallback_on_error_is_asked_for_explicitly() {
    let app = App::new(Proxy("p".into()));
    let broken_or_none = match app.resolve::<Arc<Broken>>().await {
        Ok(broken) => Some(broken),
        Err(error) => {
            assert_eq!(error.to_string(), "failed to resolve `Broken`: factory `broken` failed: cannot connect");
            None
        }
    };
    assert!(broken_or_none.is_none());
}

#[inject]
async fn timeout_or_default(#[inject(token = Timeout, fallback = 10)] timeout: u64) -> u64 {
    timeout
}

#[tokio::test]
async fn parameters_take_fallbacks_too() {
    assert_eq!(timeout_or_default(&App::new(Proxy("p".into()))).await.unwrap(), 10);
}
