//! An implementation chosen from the configuration, behind a trait.
//!
//! `Notifier` has two implementations: a webhook client when a URL is configured, and a
//! log-only one when none is. One factory reads the configuration and returns `Arc<dyn Notifier>`;
//! the container registers it as `singleton dyn Notifier = choose_notifier;`, and every service
//! depends on `Arc<dyn Notifier>` only. A factory-built implementation can also be bound to its
//! trait and disposed with it: `singleton dyn Mailer => Smtp = connect_smtp, dispose;`.
//!
//! Run: `cargo run -p injectq-examples --example config_choice`

use std::sync::Arc;

use injectq::{AsyncDispose, BoxError, container, factory, injectable};

/// What the environment says (here, given by `main`).
pub struct Config {
    webhook_url: Option<String>,
    smtp_host: String,
}

pub trait Notifier: Send + Sync {
    fn notify(&self, message: &str) -> String;
}

pub struct Webhook {
    url: String,
}

impl Notifier for Webhook {
    fn notify(&self, message: &str) -> String {
        format!("POST {} {message:?}", self.url)
    }
}

pub struct LogOnly;

impl Notifier for LogOnly {
    fn notify(&self, message: &str) -> String {
        format!("log: {message}")
    }
}

/// Picks the implementation: the webhook when a URL is configured, the log otherwise.
#[factory]
fn choose_notifier(config: Arc<Config>) -> Arc<dyn Notifier> {
    match &config.webhook_url {
        Some(url) => Arc::new(Webhook { url: url.clone() }),
        None => Arc::new(LogOnly),
    }
}

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

/// A client from another crate: built by a factory, not `#[injectable]`.
pub struct Smtp {
    host: String,
}

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("mail to {to} via {}", self.host)
    }
}

impl AsyncDispose for Smtp {
    async fn dispose(&self) -> Result<(), BoxError> {
        println!("smtp connection to {} closed", self.host);
        Ok(())
    }
}

#[factory]
async fn connect_smtp(config: Arc<Config>) -> Smtp {
    Smtp { host: config.smtp_host.clone() }
}

/// Knows the traits only.
#[injectable]
pub struct Signups {
    notifier: Arc<dyn Notifier>,
    mailer: Arc<dyn Mailer>,
}

impl Signups {
    fn sign_up(&self, user: &str) -> [String; 2] {
        [self.notifier.notify(&format!("{user} signed up")), self.mailer.send(user)]
    }
}

container! {
    pub struct App {
        value Config;
        singleton dyn Notifier = choose_notifier;
        singleton dyn Mailer => Smtp = connect_smtp, dispose;
        singleton Signups;
    }
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    for webhook_url in [Some("https://hooks.example/signups"), None] {
        let app = App::new(Config { webhook_url: webhook_url.map(Into::into), smtp_host: "smtp.example".into() });
        let signups = app.resolve::<Arc<Signups>>().await?;
        for line in signups.sign_up("ada") {
            println!("{line}");
        }
        app.dispose().await?;
    }
    Ok(())
}
