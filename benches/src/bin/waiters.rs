//! What waiting costs as waiters grow: `n` tasks (1k, 10k, 100k) ask at once for a singleton
//! whose creation takes 50 ms, on the multi-thread runtime. Each is either a resolve of the
//! singleton from the root, or a request scope whose scoped service needs it (a wait nested in a
//! creation, which the cycle guard records). The hand-written equivalent is `n` tasks on one tokio
//! `OnceCell` whose init sleeps 50 ms. Each is timed cold (the creation in progress) and warm
//! (created already); what the cold run costs beyond the 50 ms, per waiter, stays flat when
//! waiting grows linearly (it was quadratic: 20k scopes took 9.5 s cold).
//!
//! Prints `name value` lines (milliseconds, and nanoseconds per waiter), read by
//! `benches/report.py`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use injectq::{container, injectable};

const INIT: Duration = Duration::from_millis(50);
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

#[injectable(init = Self::connect)]
pub struct Slow;

impl Slow {
    async fn connect(&mut self) {
        tokio::time::sleep(INIT).await;
    }
}

#[injectable]
pub struct Handler {
    _slow: Arc<Slow>,
}

container! {
    pub struct App {
        singleton Slow;
        scoped Handler;
    }
}

/// How long `n` tasks made by `task` take to finish together, from their spawning.
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

/// Times `n` waiters of one shape, cold then warm, and prints them.
async fn shape<F>(name: &str, n: usize, fresh: impl Fn() -> Arc<dyn Fn() -> F + Send + Sync>)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let run = fresh();
    let cold = together(n, || run()).await;
    let warm = together(n, || run()).await;
    println!("waiters_{name}_{n}_cold_ms {:.1}", cold.as_secs_f64() * 1e3);
    println!("waiters_{name}_{n}_warm_ms {:.1}", warm.as_secs_f64() * 1e3);
    // what the cold run costs beyond the creation itself, per waiter (spawning included)
    println!("waiters_{name}_{n}_cold_ns_each {:.0}", cold.saturating_sub(INIT).as_nanos() as f64 / n as f64);
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        for n in SIZES {
            shape("root", n, || {
                let app = App::new();
                Arc::new(move || {
                    let app = app.clone();
                    async move {
                        app.resolve::<Arc<Slow>>().await.unwrap();
                    }
                })
            })
            .await;
            shape("scoped", n, || {
                let app = App::new();
                Arc::new(move || {
                    let scope = app.create_scope();
                    async move {
                        scope.resolve::<Arc<Handler>>().await.unwrap();
                        scope.dispose().await.unwrap();
                    }
                })
            })
            .await;
            shape("hand", n, || {
                let cell = Arc::new(tokio::sync::OnceCell::<Arc<Slow>>::new());
                Arc::new(move || {
                    let cell = Arc::clone(&cell);
                    async move {
                        cell.get_or_init(|| async {
                            tokio::time::sleep(INIT).await;
                            Arc::new(Slow)
                        })
                        .await;
                    }
                })
            })
            .await;
        }
    });
}
