//! Choices checked on every branch: one service, several implementations, chosen when the
//! container builds it, by a value (the profile), by a scope's input (the caller's plan), or by a
//! cargo feature. Every alternative is type-checked and its dependencies proven whether it is
//! chosen or not, so the one a test never builds cannot rot; only the chosen one is built.
//!
//! Run: `cargo run -p injectq-examples --example profiles` (or `.. -- live`, or with
//! `--features live-archive`)

use std::sync::Arc;

use injectq::{container, injectable};

/// Which environment this is: the first argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Live,
    Test,
}

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

/// Where the SMTP relay is: only the live mailer needs it, yet a test build proves it is there.
pub struct Relay(pub &'static str);

#[injectable]
pub struct Smtp {
    relay: Arc<Relay>,
}

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("mail to {to} through {}", self.relay.0)
    }
}

#[injectable]
pub struct Outbox;

impl Mailer for Outbox {
    fn send(&self, to: &str) -> String {
        format!("mail to {to} kept in the outbox")
    }
}

/// A request's caller plan: a scope's input.
pub struct Plan(pub &'static str);

pub trait Limits: Send + Sync {
    fn per_minute(&self) -> u32;
}

#[injectable]
pub struct Paid;

impl Limits for Paid {
    fn per_minute(&self) -> u32 {
        600
    }
}

#[injectable]
pub struct Free;

impl Limits for Free {
    fn per_minute(&self) -> u32 {
        60
    }
}

pub trait Archive: Send + Sync {
    fn name(&self) -> &'static str;
}

#[injectable]
pub struct Glacier;

impl Archive for Glacier {
    fn name(&self) -> &'static str {
        "glacier"
    }
}

#[injectable]
pub struct LocalDisk;

impl Archive for LocalDisk {
    fn name(&self) -> &'static str {
        "local disk"
    }
}

container! {
    pub struct App {
        value Profile;
        value Relay;
        singleton dyn Mailer => match Profile {
            Profile::Live => Smtp,
            Profile::Test => Outbox,
        };
        input Plan;
        scoped dyn Limits => match Plan {
            Plan(plan) if *plan == "paid" => Paid,
            _ => Free,
        };
        singleton dyn Archive => match cfg!(feature = "live-archive") {
            true => Glacier,
            false => LocalDisk,
        };
    }
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    let profile = match std::env::args().nth(1).as_deref() {
        Some("live") => Profile::Live,
        _ => Profile::Test,
    };
    let app = App::new(Arc::new(profile), Arc::new(Relay("smtp.example:587")));
    app.start().await?; // each singleton's choice is made (and logged) here
    println!("{profile:?}: {}", app.resolve::<Arc<dyn Mailer>>().await?.send("ada"));
    println!("archive: {}", app.resolve::<Arc<dyn Archive>>().await?.name());
    for plan in ["paid", "free"] {
        let scope = app.create_scope_with(Plan(plan));
        println!("{plan}: {} requests a minute", scope.resolve::<Arc<dyn Limits>>().await?.per_minute());
        scope.dispose().await?;
    }
    app.dispose().await?;
    Ok(())
}
