//! An implementation chosen by a factory, behind a trait: a factory that returns `Arc<dyn Trait>`
//! or `Box<dyn Trait>` registered as `dyn Trait`, and a factory-built implementation bound to
//! its trait (`dyn Trait => Impl = factory`). The factory's arguments are injected and checked
//! like any other dependency.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use injectq::{AsyncDispose, BoxError, container, factory, injectable};

/// Where notifications go, chosen from the configuration.
pub struct Config {
    webhook: Option<String>,
}

pub trait Notifier: Send + Sync {
    fn describe(&self) -> String;
}

pub struct Webhook {
    url: String,
}

impl Notifier for Webhook {
    fn describe(&self) -> String {
        format!("webhook {}", self.url)
    }
}

pub struct LogOnly;

impl Notifier for LogOnly {
    fn describe(&self) -> String {
        "log".into()
    }
}

/// The most common use of a factory: the implementation picked from the configuration.
#[factory]
fn choose_notifier(config: Arc<Config>) -> Arc<dyn Notifier> {
    match &config.webhook {
        Some(url) => Arc::new(Webhook { url: url.clone() }),
        None => Arc::new(LogOnly),
    }
}

pub trait Codec: Send + Sync {
    fn encode(&self, n: u32) -> String;
}

pub struct Decimal(usize);

impl Codec for Decimal {
    fn encode(&self, n: u32) -> String {
        format!("{n} #{}", self.0)
    }
}

/// Counts the codecs made, so that a test can see a transient made anew.
#[injectable]
pub struct Made {
    #[inject(default)]
    count: AtomicUsize,
}

#[factory]
fn make_codec(made: Arc<Made>) -> Box<dyn Codec> {
    Box::new(Decimal(made.count.fetch_add(1, Ordering::SeqCst)))
}

pub trait Session: Send + Sync {
    fn user(&self) -> u32;
}

pub struct Guest;

impl Session for Guest {
    fn user(&self) -> u32 {
        0
    }
}

/// A fallible factory of a boxed trait object, for a scoped service.
#[factory]
async fn open_session() -> Result<Box<dyn Session>, std::io::Error> {
    Ok(Box::new(Guest))
}

pub trait Mailer: Send + Sync {
    fn host(&self) -> &str;
}

/// A foreign implementation, built by a factory, bound to its trait and disposed.
pub struct Smtp {
    host: String,
    closed: Arc<Closed>,
}

#[derive(Default)]
pub struct Closed(AtomicUsize);

impl Mailer for Smtp {
    fn host(&self) -> &str {
        &self.host
    }
}

impl AsyncDispose for Smtp {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.closed.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[factory]
fn connect_smtp(config: Arc<Config>, closed: Arc<Closed>) -> Smtp {
    Smtp { host: config.webhook.clone().unwrap_or_else(|| "localhost".into()), closed }
}

#[injectable]
pub struct Alerts {
    notifier: Arc<dyn Notifier>,
    mailer: Arc<dyn Mailer>,
}

container! {
    pub struct App {
        value Config;
        value Closed;
        singleton Made;
        singleton dyn Notifier = choose_notifier;
        transient dyn Codec = make_codec;
        scoped dyn Session = open_session;
        singleton dyn Mailer => Smtp = connect_smtp, dispose;
        singleton Alerts;
    }
}

fn app(webhook: Option<&str>) -> App {
    App::new(Config { webhook: webhook.map(Into::into) }, Closed::default())
}

#[tokio::test]
async fn the_factory_picks_the_implementation_from_the_configuration() {
    let with_url = app(Some("https://hooks.example/1"));
    assert_eq!(with_url.resolve::<Arc<dyn Notifier>>().await.unwrap().describe(), "webhook https://hooks.example/1");
    let without = app(None);
    assert_eq!(without.resolve::<Arc<dyn Notifier>>().await.unwrap().describe(), "log");
}

#[tokio::test]
async fn a_singleton_trait_object_from_a_factory_is_created_once_and_injected() {
    let app = app(None);
    let a = app.resolve::<Arc<dyn Notifier>>().await.unwrap();
    let b = app.resolve::<Arc<dyn Notifier>>().await.unwrap();
    assert!(Arc::ptr_eq(&a, &b), "one instance");
    let alerts = app.resolve::<Arc<Alerts>>().await.unwrap();
    assert!(Arc::ptr_eq(&alerts.notifier, &a), "the injected one is the same");
}

#[tokio::test]
async fn a_transient_trait_object_from_a_factory_is_new_each_time_boxed_or_in_an_arc() {
    let app = app(None);
    let scope = app.create_scope();
    let first: Box<dyn Codec> = scope.resolve().await.unwrap();
    let second: Arc<dyn Codec> = scope.resolve().await.unwrap();
    let third: Box<dyn Codec> = app.resolve().await.unwrap();
    assert_eq!([first.encode(7), second.encode(7), third.encode(7)], ["7 #0", "7 #1", "7 #2"]);
}

#[tokio::test]
async fn a_scoped_trait_object_from_a_fallible_async_factory_is_shared_within_its_scope() {
    let app = app(None);
    let scope = app.create_scope();
    let a = scope.resolve::<Arc<dyn Session>>().await.unwrap();
    let b = scope.resolve::<Arc<dyn Session>>().await.unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(a.user(), 0);
    let other = app.create_scope().resolve::<Arc<dyn Session>>().await.unwrap();
    assert!(!Arc::ptr_eq(&a, &other), "one per scope");
}

#[tokio::test]
async fn a_factory_built_implementation_bound_to_its_trait_is_shared_and_disposed() {
    let app = app(Some("smtp.example"));
    let mailer = app.resolve::<Arc<dyn Mailer>>().await.unwrap();
    assert_eq!(mailer.host(), "smtp.example");
    let alerts = app.resolve::<Arc<Alerts>>().await.unwrap();
    assert!(Arc::ptr_eq(&alerts.mailer, &mailer));
    let closed = app.resolve::<Arc<Closed>>().await.unwrap();
    app.dispose().await.unwrap();
    assert_eq!(closed.0.load(Ordering::SeqCst), 1, "the implementation's disposer ran once");
}
