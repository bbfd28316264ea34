//! A producer and a consumer on a shared queue: the queue comes from an async factory, the
//! producer and the consumer get it injected, and `run_event_system` is an `#[inject]` function
//! that takes both.
//!
//! Run it with `cargo run -p injectq-examples --example producer_consumer`.

use std::sync::Arc;

use injectq::{container, factory, inject, injectable};
use tokio::sync::{Mutex, mpsc};

/// The shared queue: one sender side and one receiver side.
pub struct EventQueue {
    sender: mpsc::Sender<String>,
    receiver: Mutex<mpsc::Receiver<String>>,
}

/// The shared queue, bounded at 100 events.
#[factory]
async fn create_event_queue() -> EventQueue {
    let (sender, receiver) = mpsc::channel(100);
    EventQueue { sender, receiver: Mutex::new(receiver) }
}

#[injectable]
pub struct EventProcessor;

impl EventProcessor {
    async fn process_event(&self, event: &str) -> String {
        format!("processed {event}")
    }
}

#[injectable]
pub struct EventProducer {
    queue: Arc<EventQueue>,
}

impl EventProducer {
    async fn produce_event(&self, event: String) {
        println!("produced {event}");
        let _ = self.queue.sender.send(event).await;
    }
}

#[injectable]
pub struct EventConsumer {
    queue: Arc<EventQueue>,
    processor: Arc<EventProcessor>,
}

impl EventConsumer {
    /// Consumes until `count` events were processed.
    async fn start_consuming(&self, count: usize) -> Vec<String> {
        let mut done = Vec::new();
        let mut receiver = self.queue.receiver.lock().await;
        while done.len() < count {
            match receiver.recv().await {
                Some(event) => done.push(self.processor.process_event(&event).await),
                None => break,
            }
        }
        done
    }
}

container! {
    pub struct App {
        singleton EventQueue = create_event_queue;
        singleton EventProcessor;
        singleton EventProducer;
        singleton EventConsumer;
    }
}

/// Runs the producer and the consumer together, both resolved from the container.
#[inject]
async fn run_event_system(
    #[inject] producer: Arc<EventProducer>,
    #[inject] consumer: Arc<EventConsumer>,
    events: usize,
) -> usize {
    let consuming = tokio::spawn(async move { consumer.start_consuming(events).await });
    for i in 0..events {
        producer.produce_event(format!("event_{i}")).await;
    }
    let processed = consuming.await.expect("the consumer panicked");
    for line in &processed {
        println!("{line}");
    }
    processed.len()
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    let app = App::new();
    let processed = run_event_system(&app, 5).await?;
    println!("{processed} events processed");
    Ok(())
}
