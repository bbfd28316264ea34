//! What waiting costs as waiters grow: `n` tasks (1k, 10k, 100k) wait for one singleton's
//! creation, on the multi-thread runtime. Each is either a resolve of the singleton from the root,
//! or a request scope whose scoped service needs it (a wait nested in a creation, which the cycle
//! guard records). The hand-written equivalent is `n` tasks on one tokio `OnceCell`.
//!
//! The creation holds on until every waiter has been spawned and has started waiting; then it is
//! released, and what is timed is from its release until every waiter has finished: the waking,
//! and whatever waiting cost. Per waiter, that stays flat when waiting grows linearly (it was
//! quadratic: 20k request scopes waiting at a cold start took 9.5 s). `warm` is the same `n`
//! resolves once the singleton exists, spawning included, for scale.
//!
//! Last, a shutdown with `n` request scopes still open, each holding a disposer: they are disposed
//! together, so its cost per scope stays flat too.
//!
//! Prints `name value` lines (milliseconds, and nanoseconds per waiter), read by
//! `benches/report.py`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use injectq::{container, injectable};
use tokio::sync::Notify;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// When the creation may finish, and how many waiters have started.
#[derive(Default)]
pub struct Release {
    go: Notify,
    started: AtomicUsize,
}

#[injectable(init = Self::connect)]
pub struct Slow {
    release: Arc<Release>,
}

impl Slow {
    async fn connect(&mut self) {
        self.release.go.notified().await;
    }
}

#[injectable]
pub struct Handler {
    _slow: Arc<Slow>,
}

/// A scoped service with a disposer: each open scope that holds one is disposed by the shutdown.
#[injectable(dispose)]
pub struct Session;

impl injectq::AsyncDispose for Session {
    async fn dispose(&self) -> Result<(), injectq::BoxError> {
        tokio::task::yield_now().await;
        Ok(())
    }
}

container! {
    pub struct App {
        value Release;
        singleton Slow;
        scoped Handler;
        scoped Session;
    }
}

/// Spawns `n` tasks made by `task`, each counted in `release.started` as it starts; once all have
/// started (and a moment more, for the last ones to reach their wait), releases the creation, and
/// returns how long they took to finish from then.
async fn released<F>(n: usize, release: &Release, task: impl Fn() -> F) -> Duration
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    release.started.store(0, Ordering::SeqCst);
    let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(task())).collect();
    while release.started.load(Ordering::SeqCst) < n {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    let released = Instant::now();
    release.go.notify_one();
    for t in tasks {
        t.await.expect("a waiter panicked");
    }
    released.elapsed()
}

/// How long `n` tasks made by `task` take, from their spawning.
async fn together<F>(n: usize, task: impl Fn() -> F) -> Duration
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(task())).collect();
    for t in tasks {
        t.await.expect("a waiter panicked");
    }
    started.elapsed()
}

fn print(name: &str, n: usize, cold: Duration, warm: Duration) {
    println!("waiters_{name}_{n}_cold_ms {:.1}", cold.as_secs_f64() * 1e3);
    println!("waiters_{name}_{n}_cold_ns_each {:.0}", cold.as_nanos() as f64 / n as f64);
    println!("waiters_{name}_{n}_warm_ms {:.1}", warm.as_secs_f64() * 1e3);
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        for n in SIZES {
            let release = Arc::new(Release::default());
            let app = App::new(Arc::clone(&release));
            let root = || {
                let (app, release) = (app.clone(), Arc::clone(&release));
                async move {
                    release.started.fetch_add(1, Ordering::SeqCst);
                    app.resolve::<Arc<Slow>>().await.unwrap();
                }
            };
            let cold = released(n, &release, root).await;
            print("root", n, cold, together(n, root).await);

            let release = Arc::new(Release::default());
            let app = App::new(Arc::clone(&release));
            let scoped = || {
                let (scope, release) = (app.create_scope(), Arc::clone(&release));
                async move {
                    release.started.fetch_add(1, Ordering::SeqCst);
                    scope.resolve::<Arc<Handler>>().await.unwrap();
                    scope.dispose().await.unwrap();
                }
            };
            let cold = released(n, &release, scoped).await;
            print("scoped", n, cold, together(n, scoped).await);

            let release = Arc::new(Release::default());
            let cell = Arc::new(tokio::sync::OnceCell::<Arc<Slow>>::new());
            let hand = || {
                let (cell, release) = (Arc::clone(&cell), Arc::clone(&release));
                async move {
                    release.started.fetch_add(1, Ordering::SeqCst);
                    cell.get_or_init(|| async {
                        release.go.notified().await;
                        Arc::new(Slow { release: Arc::clone(&release) })
                    })
                    .await;
                }
            };
            let cold = released(n, &release, hand).await;
            print("hand", n, cold, together(n, hand).await);

            // a shutdown with `n` scopes still open, each holding a disposer: disposed together
            let app = App::new(Arc::new(Release::default()));
            let mut open = Vec::with_capacity(n);
            for _ in 0..n {
                let scope = app.create_scope();
                scope.resolve::<Arc<Session>>().await.unwrap();
                open.push(scope);
            }
            let started = Instant::now();
            let _ = app.shutdown(Duration::ZERO).await;
            let took = started.elapsed();
            println!("shutdown_open_{n}_ms {:.1}", took.as_secs_f64() * 1e3);
            println!("shutdown_open_{n}_ns_each {:.0}", took.as_nanos() as f64 / n as f64);
            drop(open);
        }
    });
}
