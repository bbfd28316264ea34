//! Health and readiness: services that report their health, and the container's aggregate of
//! them with its phase (not started, running, stopping), for liveness and readiness probes.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::future::BoxFuture;
use crate::hosting::Phases;
use crate::{BoxError, Provide};

/// A service that can say whether it is healthy: a pool that can reach its database, a consumer
/// whose broker connection is up. Declared with `, health` after its registration
/// (`singleton Pool = connect, health;`, `hosted Consumer, health;`).
///
/// The container's [`health`](crate::Container::health) runs every check at once, each bounded by
/// its [`check_timeout`](Self::check_timeout) (a check past it counts as failed, and is dropped),
/// once the container has started and until its shutdown begins. A failed check makes the
/// container not ready ([`Probe::Readiness`], the default), or not live ([`Probe::Liveness`]: the
/// process should be restarted), or both. A check that panics counts as failed.
///
/// ```
/// use injectq::{BoxError, HealthCheck, container, injectable};
///
/// #[injectable]
/// pub struct Pool;
///
/// impl HealthCheck for Pool {
///     async fn check(&self) -> Result<(), BoxError> {
///         Ok(()) // `SELECT 1`
///     }
/// }
///
/// container! {
///     pub struct App {
///         singleton Pool, health;
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> injectq::Result<()> {
/// let app = App::new();
/// assert!(!app.health().await.is_ready(), "not ready until started");
/// app.start().await?;
/// let health = app.health().await;
/// assert!(health.is_ready() && health.is_live());
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "[injectq::not-a-health-check] `{Self}` is declared with `, health` but does not implement `injectq::HealthCheck`",
    label = "declared with `, health` here",
    note = "implement `injectq::HealthCheck` for it: `check` returns `Ok(())` when the service is healthy"
)]
pub trait HealthCheck: Send + Sync + 'static {
    /// `Ok(())` when the service is healthy; an error says why it is not.
    fn check(&self) -> impl Future<Output = std::result::Result<(), BoxError>> + Send;

    /// How long [`check`](Self::check) may take: 1 s by default.
    fn check_timeout(&self) -> Duration {
        Duration::from_secs(1)
    }

    /// Which probe a failed check fails: readiness by default.
    fn probe(&self) -> Probe {
        Probe::Readiness
    }
}

/// Which probe a [`HealthCheck`] counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// A failure makes the container not ready: it should get no traffic until the check passes.
    Readiness,
    /// A failure makes the container not live: the process should be restarted.
    Liveness,
    /// Both.
    Both,
}

impl Probe {
    fn readiness(self) -> bool {
        matches!(self, Probe::Readiness | Probe::Both)
    }

    fn liveness(self) -> bool {
        matches!(self, Probe::Liveness | Probe::Both)
    }

    fn word(self) -> &'static str {
        match self {
            Probe::Readiness => "readiness",
            Probe::Liveness => "liveness",
            Probe::Both => "both",
        }
    }
}

/// Where a container is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `start()` has not finished yet: not ready, and no check runs.
    Starting,
    /// Started, and no shutdown has begun.
    Running,
    /// A shutdown or disposal has begun: not ready, for good.
    Stopping,
}

impl Phase {
    /// `starting`, `running` or `stopping`.
    pub fn word(self) -> &'static str {
        match self {
            Phase::Starting => "starting",
            Phase::Running => "running",
            Phase::Stopping => "stopping",
        }
    }
}

/// The outcome of one [`HealthCheck`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The check passed.
    Up,
    /// The check failed (or panicked): why.
    Down(String),
    /// The check did not finish within its timeout.
    TimedOut(Duration),
    /// The check did not run: the container is starting or stopping.
    NotChecked,
}

impl Status {
    /// Whether the check passed.
    pub fn is_up(&self) -> bool {
        matches!(self, Status::Up)
    }

    /// Whether the check ran and failed (it errored, panicked or timed out).
    fn is_down(&self) -> bool {
        matches!(self, Status::Down(_) | Status::TimedOut(_))
    }

    fn word(&self) -> &'static str {
        match self {
            Status::Up => "up",
            Status::Down(_) => "down",
            Status::TimedOut(_) => "timed out",
            Status::NotChecked => "not checked",
        }
    }
}

/// One service's health, in a [`HealthReport`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceHealth {
    name: &'static str,
    probe: Probe,
    status: Status,
    took: Duration,
}

impl ServiceHealth {
    /// The service, as registered.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Which probe it counts for.
    pub fn probe(&self) -> Probe {
        self.probe
    }

    /// What its check said.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// How long its check took.
    pub fn took(&self) -> Duration {
        self.took
    }
}

/// A container's health: its phase and each health-checked service's status, from
/// [`Container::health`](crate::Container::health).
///
/// - **Live** unless the container is disposed or a [`Probe::Liveness`] check failed.
/// - **Ready** when it is [`Running`](Phase::Running) and no [`Probe::Readiness`] check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthReport {
    container: &'static str,
    phase: Phase,
    disposed: bool,
    services: Vec<ServiceHealth>,
}

impl HealthReport {
    /// Live: not disposed, and no liveness check failed.
    pub fn is_live(&self) -> bool {
        !self.disposed && self.services.iter().all(|s| !s.probe.liveness() || !s.status.is_down())
    }

    /// Ready: running, and no readiness check failed.
    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Running
            && !self.disposed
            && self.services.iter().all(|s| !s.probe.readiness() || s.status.is_up())
    }

    /// The container's phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Each health-checked service, in declaration order.
    pub fn services(&self) -> &[ServiceHealth] {
        &self.services
    }

    /// The services a probe counts (all of them for readiness, the liveness ones for liveness),
    /// with the probe's status: for `/health/live` and `/health/ready`.
    pub fn probe(&self, probe: Probe) -> (bool, impl Iterator<Item = &ServiceHealth>) {
        let up = if probe.liveness() { self.is_live() } else { self.is_ready() };
        let counted = self.services.iter().filter(move |s| match probe {
            Probe::Liveness => s.probe.liveness(),
            _ => true,
        });
        (up, counted)
    }

    /// The report as JSON, for one probe: `{"status":"up","container":"App","phase":"running",
    /// "services":[{"name":"Pool","status":"up","probe":"readiness","took_ms":1.2}]}`, with an
    /// `"error"` for a service that is down.
    pub fn to_json(&self, probe: Probe) -> String {
        let (up, services) = self.probe(probe);
        let mut out = String::with_capacity(128);
        out.push_str(&format!(
            "{{\"status\":\"{}\",\"container\":{},\"phase\":\"{}\",\"services\":[",
            if up { "up" } else { "down" },
            json_string(self.container),
            self.phase.word()
        ));
        for (i, s) in services.enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{{\"name\":{},\"status\":\"{}\",\"probe\":\"{}\",\"took_ms\":{:.3}",
                json_string(s.name),
                s.status.word(),
                s.probe.word(),
                s.took.as_secs_f64() * 1000.0
            ));
            match &s.status {
                Status::Down(why) => out.push_str(&format!(",\"error\":{}", json_string(why))),
                Status::TimedOut(limit) => {
                    out.push_str(&format!(",\"error\":{}", json_string(&format!("no answer within {limit:?}"))))
                }
                _ => {}
            }
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}

/// `s` as a JSON string, quoted and escaped.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl fmt::Display for HealthReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is {}, {} and {}",
            self.container,
            self.phase.word(),
            if self.is_live() { "live" } else { "not live" },
            if self.is_ready() { "ready" } else { "not ready" }
        )?;
        for s in &self.services {
            write!(f, "\n  {:<24} {} ({})", s.name, s.status.word(), s.probe.word())?;
            if let Status::Down(why) = &s.status {
                write!(f, ": {why}")?;
            }
        }
        Ok(())
    }
}

/// One health-checked service's check, as the runtime runs it (written by `container!` for each
/// registration with `, health`, through [`checked`]).
#[doc(hidden)]
pub struct Check<'c> {
    name: &'static str,
    run: BoxFuture<'c, (Probe, Status)>,
}

/// The check of the singleton `T` of `c`, named `name`: resolved (it exists once started), then
/// run within its timeout, a panic caught.
#[doc(hidden)]
pub fn checked<'c, T, C>(c: &'c C, name: &'static str) -> Check<'c>
where
    T: HealthCheck,
    C: Provide<Arc<T>> + Sync,
{
    use futures_util::FutureExt;
    let run = async move {
        let service: Arc<T> = match c.provide().await {
            Ok(service) => service,
            Err(error) => return (Probe::Both, Status::Down(error.to_string())),
        };
        let (probe, limit) = (service.probe(), service.check_timeout());
        let checking = std::panic::AssertUnwindSafe(service.check()).catch_unwind();
        let status = match tokio::time::timeout(limit, checking).await {
            Ok(Ok(Ok(()))) => Status::Up,
            Ok(Ok(Err(error))) => Status::Down(error.to_string()),
            Ok(Err(panic)) => Status::Down(format!("the check panicked: {}", crate::dispose::panic_message(&*panic))),
            Err(_) => Status::TimedOut(limit),
        };
        (probe, status)
    };
    Check { name, run: Box::pin(run) }
}

/// The container's health: its phase (from `phases`, and whether its bag is `disposed`), and,
/// while it runs, every check at once.
#[doc(hidden)]
pub async fn health(phases: &Phases, disposed: bool, container: &'static str, checks: Vec<Check<'_>>) -> HealthReport {
    let phase = if phases.is_stopping() || disposed {
        Phase::Stopping
    } else if phases.is_ready() {
        Phase::Running
    } else {
        Phase::Starting
    };
    let services = if phase == Phase::Running {
        let runs = checks.into_iter().map(|check| async move {
            let began = Instant::now();
            let (probe, status) = check.run.await;
            ServiceHealth { name: check.name, probe, status, took: began.elapsed() }
        });
        futures_util::future::join_all(runs).await
    } else {
        checks
            .into_iter()
            .map(|check| ServiceHealth {
                name: check.name,
                probe: Probe::Readiness,
                status: Status::NotChecked,
                took: Duration::ZERO,
            })
            .collect()
    };
    HealthReport { container, phase, disposed, services }
}
