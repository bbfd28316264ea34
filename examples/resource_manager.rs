//! A resource manager and disposal handlers: resources registered with their cleanup, a handler
//! added to the container at run time (`on_dispose`), and every cleanup run at disposal, with the
//! failures reported together instead of printed and forgotten.
//!
//! Run it with `cargo run -p injectq-examples --example resource_manager`.

use std::sync::Arc;

use injectq::{BoxError, container, injectable};
use tokio::sync::Mutex;

type Cleanup = Box<dyn FnOnce() -> Result<(), BoxError> + Send>;

/// `AsyncResourceManager`
#[injectable]
pub struct ResourceManager {
    #[inject(default)]
    cleanups: Mutex<Vec<(String, Cleanup)>>,
}

impl ResourceManager {
    async fn register_resource(&self, name: &str, cleanup: impl FnOnce() -> Result<(), BoxError> + Send + 'static) {
        self.cleanups.lock().await.push((name.to_owned(), Box::new(cleanup)));
    }

    /// `cleanup_all`: every cleanup runs; the failures come back together.
    async fn cleanup_all(&self) -> Result<(), BoxError> {
        let mut failures = Vec::new();
        for (name, cleanup) in self.cleanups.lock().await.drain(..).rev() {
            match cleanup() {
                Ok(()) => println!("cleaned up {name}"),
                Err(error) => failures.push(format!("{name}: {error}")),
            }
        }
        if failures.is_empty() { Ok(()) } else { Err(failures.join("; ").into()) }
    }
}

container! {
    pub struct App {
        singleton ResourceManager;
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new();
    let resources = app.resolve::<Arc<ResourceManager>>().await?;
    resources.register_resource("cache", || Ok(())).await;
    resources.register_resource("socket", || Err("already closed".into())).await;
    resources.register_resource("temp files", || Ok(())).await;

    // a handler added at run time, disposed with the services
    let manager = Arc::clone(&resources);
    app.on_dispose(move || async move { manager.cleanup_all().await })?;

    match app.dispose().await {
        Ok(()) => println!("all resources cleaned up"),
        Err(error) => println!("{error}"),
    }
    Ok(())
}
