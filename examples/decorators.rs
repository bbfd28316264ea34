//! Decorators: behaviour added around a service without touching it or its callers.
//!
//! `dyn Mailer` is an SMTP client. Three decorators wrap it, the first line innermost: retries
//! (async, with a dependency of its own), metrics, and an outbox that keeps mails until it is
//! flushed (a type of its own, declared `, dispose`, so that it is flushed when the container is
//! disposed, before the client it wraps is closed). `dyn Codec` is a transient: each value is
//! built and decorated on its own, by value.
//!
//! Run: `cargo run -p injectq-examples --example decorators`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use injectq::{AsyncDispose, BoxError, container, factory, injectable};

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

/// The client, closed with the container.
#[injectable(dispose)]
pub struct Smtp;

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("smtp to {to}")
    }
}

impl AsyncDispose for Smtp {
    async fn dispose(&self) -> Result<(), BoxError> {
        println!("smtp: connection closed");
        Ok(())
    }
}

/// How many times to try (a value the retries depend on).
pub struct Attempts(pub u32);

struct Retrying {
    inner: Arc<dyn Mailer>,
    attempts: u32,
}

impl Mailer for Retrying {
    fn send(&self, to: &str) -> String {
        format!("{} (up to {} tries)", self.inner.send(to), self.attempts)
    }
}

/// Retries: async, with a dependency of its own.
#[factory]
async fn retrying(#[inner] inner: Arc<dyn Mailer>, attempts: Arc<Attempts>) -> Arc<dyn Mailer> {
    Arc::new(Retrying { inner, attempts: attempts.0 })
}

/// Counts what is sent.
#[derive(Default)]
pub struct Metrics {
    sent: AtomicUsize,
}

struct Measured {
    inner: Arc<dyn Mailer>,
    metrics: Arc<Metrics>,
}

impl Mailer for Measured {
    fn send(&self, to: &str) -> String {
        self.metrics.sent.fetch_add(1, Ordering::Relaxed);
        self.inner.send(to)
    }
}

#[factory]
fn measured(#[inner] inner: Arc<dyn Mailer>, metrics: Arc<Metrics>) -> Arc<dyn Mailer> {
    Arc::new(Measured { inner, metrics })
}

/// Keeps mails until it is flushed, at the latest when the container is disposed.
pub struct Outbox {
    inner: Arc<dyn Mailer>,
    kept: Mutex<Vec<String>>,
}

impl Mailer for Outbox {
    fn send(&self, to: &str) -> String {
        self.kept.lock().unwrap().push(to.to_owned());
        format!("queued for {to}")
    }
}

impl AsyncDispose for Outbox {
    async fn dispose(&self) -> Result<(), BoxError> {
        for to in self.kept.lock().unwrap().drain(..) {
            println!("outbox: flushed: {}", self.inner.send(&to));
        }
        Ok(())
    }
}

#[factory]
fn outbox(#[inner] inner: Arc<dyn Mailer>) -> Outbox {
    Outbox { inner, kept: Mutex::new(Vec::new()) }
}

pub trait Codec: Send + Sync {
    fn encode(&self, text: &str) -> String;
}

#[injectable]
pub struct Json;

impl Codec for Json {
    fn encode(&self, text: &str) -> String {
        format!("{text:?}")
    }
}

struct Gzip(Box<dyn Codec>);

impl Codec for Gzip {
    fn encode(&self, text: &str) -> String {
        format!("gzip[{}]", self.0.encode(text))
    }
}

/// A transient's decorator takes and returns the value itself.
#[factory]
fn gzip(#[inner] inner: Box<dyn Codec>) -> Box<dyn Codec> {
    Box::new(Gzip(inner))
}

container! {
    pub struct App {
        value Attempts;
        value Metrics;
        singleton dyn Mailer => Smtp;
        decorate dyn Mailer = retrying;
        decorate dyn Mailer = measured;
        decorate dyn Mailer = outbox, dispose;
        transient dyn Codec => Json;
        decorate dyn Codec = gzip;
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let metrics = Arc::new(Metrics::default());
    let app = App::new(Arc::new(Attempts(3)), Arc::clone(&metrics));
    let mailer = app.resolve::<Arc<dyn Mailer>>().await?;
    println!("{}", mailer.send("ada"));
    println!("{}", mailer.send("grace"));
    let codec = app.resolve::<Box<dyn Codec>>().await?;
    println!("{}", codec.encode("hello"));
    app.dispose().await?;
    println!("measured: {} mail(s)", metrics.sent.load(Ordering::Relaxed));
    Ok(())
}
