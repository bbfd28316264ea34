//! A background worker that lives in the container: a singleton that takes jobs from a queue and
//! handles each one in a scope of its own, opened through `ScopeFactory` (a handle to the
//! container that does not keep it alive) with the job's payload as the scope's input, which
//! the job's services depend on. Each job's unit of work commits when the job succeeds and rolls
//! back when it fails. The worker stops when the container is disposed:
//! `shutdown` first waits for the job in progress, then disposes the worker, which ends its loop.
//!
//! Run it with `cargo run -p injectq-examples --example worker`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use injectq::{AsyncDispose, BoxError, Outcome, ScopeFactory, container, factory, injectable};
use tokio::sync::{Mutex, Notify, mpsc, oneshot};
use tokio::task::JoinHandle;

/// A job's payload: the input of the job's scope.
pub struct Order {
    customer: String,
}

/// A job, and who to tell when it has been handled (its scope disposed).
pub struct Job {
    order: Order,
    done: oneshot::Sender<()>,
}

/// The queue the application submits jobs to, and the worker takes them from.
pub struct JobQueue {
    sender: mpsc::UnboundedSender<Job>,
    receiver: Mutex<Option<mpsc::UnboundedReceiver<Job>>>,
}

impl JobQueue {
    fn submit(&self, customer: &str) -> oneshot::Receiver<()> {
        let (done, handled) = oneshot::channel();
        let _ = self.sender.send(Job { order: Order { customer: customer.to_owned() }, done });
        handled
    }
}

#[factory]
fn open_queue() -> JobQueue {
    let (sender, receiver) = mpsc::unbounded_channel();
    JobQueue { sender, receiver: Mutex::new(Some(receiver)) }
}

/// One per job: committed if the job succeeded, rolled back otherwise.
#[injectable(dispose)]
pub struct UnitOfWork;

impl AsyncDispose for UnitOfWork {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Failed).await
    }

    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        if outcome.is_completed() {
            println!("  committed");
        } else {
            println!("  rolled back: the job {outcome}");
        }
        Ok(())
    }
}

/// Handles one job's order, inside the job's unit of work.
#[injectable]
pub struct OrderHandler {
    order: Arc<Order>,
    _work: Arc<UnitOfWork>,
}

impl OrderHandler {
    async fn handle(&self) -> Result<(), BoxError> {
        let customer = &self.order.customer;
        println!("job: an order for {customer:?}");
        if customer.is_empty() {
            return Err("an order needs a customer".into());
        }
        Ok(())
    }
}

/// The worker: started with the container, stopped with it.
#[injectable(init = start, dispose)]
pub struct Worker {
    scopes: ScopeFactory<App>,
    queue: Arc<JobQueue>,
    #[inject(default)]
    stop: Arc<Notify>,
    #[inject(default)]
    handled: Arc<AtomicUsize>,
    #[inject(default)]
    running: Mutex<Option<JoinHandle<()>>>,
}

impl Worker {
    /// Starts the loop: one scope per job, until told to stop or no scope can be opened.
    async fn start(&mut self) -> Result<(), BoxError> {
        let mut jobs = self.queue.receiver.lock().await.take().ok_or("the queue has one worker")?;
        let (scopes, stop, handled) = (self.scopes.clone(), Arc::clone(&self.stop), Arc::clone(&self.handled));
        let running = tokio::spawn(async move {
            loop {
                let job = tokio::select! {
                    job = jobs.recv() => job,
                    () = stop.notified() => None,
                };
                let Some(job) = job else { break };
                // the job's scope, opened with its order; a container that shuts down (or is
                // gone) opens no scope: the worker stops
                let Ok(scope) = scopes.create_scope_with(job.order) else { break };
                let result = async { scope.resolve::<OrderHandler>().await?.handle().await }.await;
                // disposed by hand: say how the job went
                let outcome = if result.is_ok() { Outcome::Completed } else { Outcome::Failed };
                if let Err(error) = scope.dispose_as(outcome).await {
                    println!("  disposal failed: {error}");
                }
                if let Err(error) = result {
                    println!("  failed: {error}");
                }
                handled.fetch_add(1, Ordering::SeqCst);
                let _ = job.done.send(());
            }
        });
        *self.running.get_mut() = Some(running);
        Ok(())
    }
}

impl AsyncDispose for Worker {
    /// Stops the loop (after the job in progress) and waits for it.
    async fn dispose(&self) -> Result<(), BoxError> {
        self.stop.notify_one();
        if let Some(running) = self.running.lock().await.take() {
            running.await?;
        }
        println!("worker stopped: {} job(s) handled", self.handled.load(Ordering::SeqCst));
        Ok(())
    }
}

container! {
    pub struct App {
        singleton JobQueue = open_queue;
        singleton Worker;
        input Order;
        scoped UnitOfWork;
        transient OrderHandler;
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new();
    app.start().await?; // the worker starts with the container
    let queue = app.resolve::<Arc<JobQueue>>().await?;
    for customer in ["ada", "", "grace"] {
        queue.submit(customer).await?; // each job handled, its scope disposed, before the next
    }
    app.shutdown(Duration::from_secs(5)).await?;
    Ok(())
}
