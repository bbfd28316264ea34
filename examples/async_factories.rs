//! Async factories: `create_email_service(config)` initializes the service and tests its
//! connection before handing it over; registered as a singleton it runs once however many tasks
//! ask at the same moment, and registered as a transient at every resolve.
//!
//! Run it with `cargo run -p injectq-examples --example async_factories`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use injectq::{BoxError, container, factory};

pub struct EmailConfig {
    pub smtp_host: String,
}

static INITIALIZED: AtomicUsize = AtomicUsize::new(0);

pub struct EmailService {
    host: String,
}

impl EmailService {
    async fn initialize(&mut self) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        INITIALIZED.fetch_add(1, Ordering::SeqCst);
    }

    async fn test_connection(&self) -> Result<(), BoxError> {
        if self.host.is_empty() { Err("no SMTP host configured".into()) } else { Ok(()) }
    }

    fn send(&self, to: &str) -> String {
        format!("sent to {to} via {}", self.host)
    }
}

/// Builds the service from its injected configuration, and checks it before handing it over.
#[factory]
async fn create_email_service(config: Arc<EmailConfig>) -> Result<EmailService, BoxError> {
    let mut service = EmailService { host: config.smtp_host.clone() };
    service.initialize().await;
    service.test_connection().await?;
    Ok(service)
}

/// A report, built fresh each time by a plain (not async) factory.
pub struct Report(usize);

static REPORTS: AtomicUsize = AtomicUsize::new(0);

#[factory]
fn create_report() -> Report {
    Report(REPORTS.fetch_add(1, Ordering::SeqCst) + 1)
}

container! {
    pub struct App {
        value EmailConfig;
        singleton EmailService = create_email_service;
        transient Report = create_report;
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new(EmailConfig { smtp_host: "smtp.example.com".into() });
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move { app.resolve::<Arc<EmailService>>().await.map(|s| s.send(&format!("user{i}"))) })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    println!("10 concurrent resolves; email service initialized {} time(s)", INITIALIZED.load(Ordering::SeqCst));

    let a: Report = app.resolve().await?;
    let b: Report = app.resolve().await?;
    println!("transient factory: report #{} then report #{}", a.0, b.0);

    let broken = App::new(EmailConfig { smtp_host: String::new() });
    match broken.resolve::<Arc<EmailService>>().await {
        Ok(_) => println!("unexpected: a service without a host"),
        Err(error) => println!("{error}"),
    }
    Ok(())
}
