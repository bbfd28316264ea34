//! `value` registrations: given to `App::new`, one argument each, as the value or as an `Arc` of
//! it, and shared by every resolve.

use std::sync::Arc;

use injectq::{container, injectable};

pub struct Config {
    pub name: &'static str,
}

pub struct Limits(u32);

pub trait Clock: Send + Sync {
    fn now(&self) -> u64;
}

pub struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> u64 {
        42
    }
}

#[injectable]
pub struct Service {
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
}

container! {
    pub struct App {
        value Config;
        value Limits;
        value dyn Clock;
        transient Service;
    }
}

#[tokio::test]
async fn values_are_constructor_arguments_shared_as_arcs() {
    let limits = Arc::new(Limits(5));
    let app = App::new(Config { name: "app" }, Arc::clone(&limits), Arc::new(Fixed) as Arc<dyn Clock>);
    let config = app.resolve::<Arc<Config>>().await.unwrap();
    assert_eq!(config.name, "app");
    assert!(Arc::ptr_eq(&limits, &app.resolve::<Arc<Limits>>().await.unwrap()), "an Arc given is the Arc shared");
    assert_eq!(app.resolve::<Arc<Limits>>().await.unwrap().0, 5);
    let service: Service = app.create_scope().resolve().await.unwrap();
    assert!(Arc::ptr_eq(&service.config, &config));
    assert_eq!(service.clock.now(), 42);
}
