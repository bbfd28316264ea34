//! Trait-object bindings: `dyn Trait => Impl`, each with its own lifetime.

use std::sync::Arc;

use injectq::{container, injectable};

pub trait Greeter: Send + Sync {
    fn greet(&self) -> String;
}

#[injectable]
pub struct English;

impl Greeter for English {
    fn greet(&self) -> String {
        "hello".into()
    }
}

pub trait Notifier: Send + Sync {
    fn channel(&self) -> &'static str;
}

#[injectable]
pub struct Email;

impl Notifier for Email {
    fn channel(&self) -> &'static str {
        "email"
    }
}

pub trait Session: Send + Sync {
    fn user(&self) -> u32;
}

#[injectable]
pub struct Anonymous;

impl Session for Anonymous {
    fn user(&self) -> u32 {
        0
    }
}

/// A service that only knows the traits.
#[injectable]
pub struct Welcome {
    greeter: Arc<dyn Greeter>,
    notifier: Box<dyn Notifier>,
    session: Arc<dyn Session>,
}

container! {
    pub struct App {
        singleton dyn Greeter => English;
        transient dyn Notifier => Email;
        scoped dyn Session => Anonymous;
        transient Welcome;
    }
}

#[tokio::test]
async fn a_singleton_binding_is_one_shared_instance() {
    let app = App::new();
    let a = app.resolve::<Arc<dyn Greeter>>().await.unwrap();
    let b = app.create_scope().resolve::<Arc<dyn Greeter>>().await.unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(a.greet(), "hello");
}

#[tokio::test]
async fn a_transient_binding_comes_boxed_or_in_an_arc_each_time_new() {
    let app = App::new();
    let boxed: Box<dyn Notifier> = app.resolve().await.unwrap();
    let a: Arc<dyn Notifier> = app.resolve().await.unwrap();
    let b: Arc<dyn Notifier> = app.resolve().await.unwrap();
    assert_eq!(boxed.channel(), "email");
    assert!(!Arc::ptr_eq(&a, &b));
}

#[tokio::test]
async fn a_scoped_binding_is_shared_within_its_scope() {
    let app = App::new();
    let s1 = app.create_scope();
    let a = s1.resolve::<Arc<dyn Session>>().await.unwrap();
    let b = s1.resolve::<Arc<dyn Session>>().await.unwrap();
    let c = app.create_scope().resolve::<Arc<dyn Session>>().await.unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert!(!Arc::ptr_eq(&a, &c));
}

#[tokio::test]
async fn services_depend_on_traits_only() {
    let scope = App::new().create_scope();
    let w: Welcome = scope.resolve().await.unwrap();
    assert_eq!((w.greeter.greet().as_str(), w.notifier.channel(), w.session.user()), ("hello", "email", 0));
}
