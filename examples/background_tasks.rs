//! A background task manager: a service that owns background tasks, started when the
//! email service is created and stopped when the container is disposed.
//!
//! Run it with `cargo run -p injectq-examples --example background_tasks`.

use std::sync::Arc;

use injectq::{AsyncDispose, BoxError, container, factory, injectable};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;

/// `AsyncBackgroundTaskManager`: owns the tasks it starts; disposal stops them all.
#[injectable(dispose)]
pub struct BackgroundTaskManager {
    #[inject(default)]
    tasks: Mutex<JoinSet<()>>,
}

impl BackgroundTaskManager {
    async fn start_task(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.tasks.lock().await.spawn(task);
    }
}

impl AsyncDispose for BackgroundTaskManager {
    /// `stop_all_tasks`: cancel them, and wait until they are gone.
    async fn dispose(&self) -> Result<(), BoxError> {
        let mut tasks = self.tasks.lock().await;
        let running = tasks.len();
        tasks.shutdown().await;
        println!("stopped {running} background task(s)");
        Ok(())
    }
}

/// `AsyncEmailService`: queues emails, sent by a background task.
pub struct EmailService {
    queue: mpsc::UnboundedSender<(String, tokio::sync::oneshot::Sender<()>)>,
}

impl EmailService {
    async fn send_email_async(&self, to: &str) {
        let (sent, done) = tokio::sync::oneshot::channel();
        let _ = self.queue.send((to.to_owned(), sent));
        let _ = done.await; // for a deterministic demo: wait until the background task sent it
    }
}

/// `start_email_service`: creates the service and starts its background processing.
#[factory]
async fn start_email_service(tasks: Arc<BackgroundTaskManager>) -> EmailService {
    let (queue, mut emails) = mpsc::unbounded_channel::<(String, tokio::sync::oneshot::Sender<()>)>();
    tasks
        .start_task(async move {
            while let Some((to, sent)) = emails.recv().await {
                println!("email sent to {to}");
                let _ = sent.send(());
            }
        })
        .await;
    EmailService { queue }
}

container! {
    pub struct App {
        singleton BackgroundTaskManager;
        singleton EmailService = start_email_service;
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new();
    let email = app.resolve::<Arc<EmailService>>().await?;
    email.send_email_async("ada@example.com").await;
    email.send_email_async("grace@example.com").await;
    app.dispose().await?;
    Ok(())
}
