//! A lazy service: an expensive one loaded on first use, exactly once even
//! when many tasks ask for it at the same moment, then kept.
//!
//! Run it with `cargo run -p injectq-examples --example lazy_service`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use injectq::{BoxError, Lazy, container, injectable};

static LOADS: AtomicUsize = AtomicUsize::new(0);

/// Loads a large model on creation.
#[injectable(init = load_heavy_data)]
pub struct HeavyService {
    #[inject(default)]
    entries: usize,
}

impl HeavyService {
    async fn load_heavy_data(&mut self) -> Result<(), BoxError> {
        LOADS.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.entries = 1_000_000;
        Ok(())
    }
}

/// Starts instantly: the heavy service is only loaded when a request needs it.
#[injectable]
pub struct Api {
    heavy: Lazy<HeavyService>,
}

impl Api {
    async fn answer(&self, question: u32) -> Result<String, injectq::Error> {
        let heavy = self.heavy.get().await?;
        Ok(format!("answer to {question} from {} entries", heavy.entries))
    }
}

container! {
    pub struct App {
        singleton HeavyService;
        singleton Api;
    }
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    let app = App::new();
    let api = app.resolve::<Arc<Api>>().await?;
    println!("api ready; heavy service loaded {} time(s)", LOADS.load(Ordering::SeqCst));

    let tasks: Vec<_> = (0..8)
        .map(|q| {
            let api = Arc::clone(&api);
            tokio::spawn(async move { api.answer(q).await })
        })
        .collect();
    for task in tasks {
        println!("{}", task.await.expect("task panicked")?);
    }
    println!("8 concurrent first uses; heavy service loaded {} time(s)", LOADS.load(Ordering::SeqCst));
    assert_eq!(LOADS.load(Ordering::SeqCst), 1);
    Ok(())
}
