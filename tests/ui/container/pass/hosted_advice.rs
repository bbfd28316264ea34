// The advice of the hosted services' errors: `Hosted` implemented; a trait bound to a hosted
// implementation is the same instance, started by `start()`; hosted services at the root.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use injectq::{BoxError, Hosted, container, injectable};

pub trait Worker: Send + Sync {
    fn running(&self) -> bool;
}

#[injectable]
pub struct Consumer {
    #[inject(default)]
    running: AtomicBool,
}

impl Worker for Consumer {
    fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
}

impl Hosted for Consumer {
    async fn start(&self) -> Result<(), BoxError> {
        self.running.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn stop(&self) -> Result<(), BoxError> {
        self.running.store(false, Ordering::SeqCst);
        Ok(())
    }
}

container! {
    pub struct App {
        hosted Consumer;
        singleton dyn Worker => Consumer;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::new();
    let report = app.start().await.unwrap();
    assert_eq!(report.services().len(), 1);
    let worker = app.resolve::<Arc<dyn Worker>>().await.unwrap();
    assert!(worker.running(), "the binding is the hosted instance");
    app.shutdown(std::time::Duration::from_secs(1)).await.unwrap();
    assert!(!worker.running());
}
