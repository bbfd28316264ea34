//! Health and readiness: each `, health` check with its deadline; the container's liveness and
//! readiness (not ready until started, not ready once its shutdown begins, not ready while a
//! readiness check fails); the axum probe routes over real HTTP; the standard gRPC health service
//! over a real channel, following the container.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::time::Duration;

use injectq::axum::HealthRoutes;
use injectq::{BoxError, HealthCheck, Hosted, Phase, Probe, Status, container, injectable};
use support::{bounded, eventually};
use tokio::sync::Notify;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

mod support;

/// How the checks should answer, set by each test.
#[derive(Default)]
pub struct Switches {
    db_down: AtomicBool,
    cache_hangs: AtomicBool,
    broker_panics: AtomicBool,
    worker_wedged: AtomicBool,
    /// the worker's stop waits for this
    release_stop: Notify,
}

/// Readiness: the database.
#[injectable]
pub struct Db {
    switches: Arc<Switches>,
}

impl HealthCheck for Db {
    async fn check(&self) -> Result<(), BoxError> {
        if self.switches.db_down.load(SeqCst) { Err("connection refused".into()) } else { Ok(()) }
    }
}

/// Readiness, with a short deadline.
#[injectable]
pub struct Cache {
    switches: Arc<Switches>,
}

impl HealthCheck for Cache {
    async fn check(&self) -> Result<(), BoxError> {
        if self.switches.cache_hangs.load(SeqCst) {
            std::future::pending::<()>().await;
        }
        Ok(())
    }

    fn check_timeout(&self) -> Duration {
        Duration::from_millis(50)
    }
}

/// Readiness: a check that may panic.
#[injectable]
pub struct Broker {
    switches: Arc<Switches>,
}

impl HealthCheck for Broker {
    async fn check(&self) -> Result<(), BoxError> {
        assert!(!self.switches.broker_panics.load(SeqCst), "the broker's client is in a bad state");
        Ok(())
    }
}

/// Liveness: a hosted worker whose loop may be wedged; its stop waits to be released.
#[injectable]
pub struct Worker {
    switches: Arc<Switches>,
    db: Arc<Db>,
}

impl HealthCheck for Worker {
    async fn check(&self) -> Result<(), BoxError> {
        if self.switches.worker_wedged.load(SeqCst) { Err("no progress for 60 s".into()) } else { Ok(()) }
    }

    fn probe(&self) -> Probe {
        Probe::Liveness
    }
}

impl Hosted for Worker {
    async fn start(&self) -> Result<(), BoxError> {
        let _ = &self.db;
        Ok(())
    }

    async fn stop(&self) -> Result<(), BoxError> {
        self.switches.release_stop.notified().await;
        Ok(())
    }
}

container! {
    pub struct App {
        value Switches;
        singleton Db, health;
        singleton Cache, health;
        singleton Broker, health;
        hosted Worker, health;
    }
}

fn app() -> (App, Arc<Switches>) {
    let switches = Arc::new(Switches::default());
    (App::new(Arc::clone(&switches)), switches)
}

fn status_of(report: &injectq::HealthReport, name: &str) -> Status {
    report.services().iter().find(|s| s.name() == name).unwrap().status().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_phase_and_the_readiness_checks_and_liveness_the_liveness_ones() {
    let (app, switches) = app();
    let report = app.health().await;
    assert_eq!(report.phase(), Phase::Starting);
    assert!(report.is_live() && !report.is_ready(), "not ready until started: {report}");
    assert!(report.services().iter().all(|s| *s.status() == Status::NotChecked), "no check runs before start");

    app.start().await.unwrap();
    let report = app.health().await;
    assert!(report.is_live() && report.is_ready(), "{report}");
    assert_eq!(report.services().len(), 4);

    // a readiness check fails: not ready, still live; it passes again: ready
    switches.db_down.store(true, SeqCst);
    let report = app.health().await;
    assert!(report.is_live() && !report.is_ready());
    assert_eq!(status_of(&report, "Db"), Status::Down("connection refused".into()));
    switches.db_down.store(false, SeqCst);
    assert!(app.health().await.is_ready());

    // a check past its deadline, and one that panics, fail too
    switches.cache_hangs.store(true, SeqCst);
    switches.broker_panics.store(true, SeqCst);
    let report = bounded("health", app.health()).await;
    assert_eq!(status_of(&report, "Cache"), Status::TimedOut(Duration::from_millis(50)));
    assert!(matches!(status_of(&report, "Broker"), Status::Down(why) if why.contains("bad state")), "{report}");
    assert!(!report.is_ready() && report.is_live());
    switches.cache_hangs.store(false, SeqCst);
    switches.broker_panics.store(false, SeqCst);

    // a liveness check fails: not live (and, being live-only, ready)
    switches.worker_wedged.store(true, SeqCst);
    let report = app.health().await;
    assert!(!report.is_live() && report.is_ready(), "{report}");
    let json = report.to_json(Probe::Liveness);
    assert!(
        json.starts_with(
            r#"{"status":"down","container":"App","phase":"running","services":[{"name":"Worker","status":"down""#
        ),
        "{json}"
    );
    assert!(json.contains(r#""error":"no progress for 60 s""#), "{json}");
    switches.worker_wedged.store(false, SeqCst);

    // the shutdown begins (the worker's stop is held): not ready from its first moment
    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown(Duration::from_secs(10)).await }
    });
    eventually("the shutdown began", || !app.is_ready()).await;
    let report = app.health().await;
    assert_eq!(report.phase(), Phase::Stopping);
    assert!(!report.is_ready() && report.is_live(), "{report}");
    switches.release_stop.notify_one();
    bounded("shutdown", shutdown).await.unwrap().unwrap();
    assert!(!app.health().await.is_live(), "disposed: not live");
}

async fn get(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_axum_probe_routes_answer_200_or_503_with_a_json_report() {
    let (app, switches) = app();
    let router: axum::Router = axum::Router::new()
        .merge(HealthRoutes::new(app.clone()).into_router())
        .merge(HealthRoutes::new(app.clone()).live_path("/livez").ready_path("/readyz").into_router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let (status, body) = get(&format!("{base}/health/ready")).await;
    assert_eq!(status, 503, "not ready before start: {body}");
    assert!(body.starts_with(r#"{"status":"down","container":"App","phase":"starting""#), "{body}");
    assert_eq!(get(&format!("{base}/health/live")).await.0, 200);

    app.start().await.unwrap();
    let (status, body) = get(&format!("{base}/health/ready")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#"{"name":"Db","status":"up","probe":"readiness""#), "{body}");
    assert_eq!(get(&format!("{base}/readyz")).await.0, 200, "configurable paths");

    switches.db_down.store(true, SeqCst);
    let (status, body) = get(&format!("{base}/readyz")).await;
    assert_eq!(status, 503);
    assert!(body.contains(r#""name":"Db","status":"down""#) && body.contains("connection refused"), "{body}");
    let (status, body) = get(&format!("{base}/livez")).await;
    assert_eq!(status, 200, "a readiness check does not fail liveness: {body}");
    assert!(!body.contains("Db"), "the liveness report counts the liveness checks: {body}");
    switches.db_down.store(false, SeqCst);

    // while the container shuts down, the server still answers: not ready
    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown(Duration::from_secs(10)).await }
    });
    eventually("the shutdown began", || !app.is_ready()).await;
    let (status, body) = get(&format!("{base}/health/ready")).await;
    assert_eq!(status, 503);
    assert!(body.contains(r#""phase":"stopping""#), "{body}");
    switches.release_stop.notify_one();
    bounded("shutdown", shutdown).await.unwrap().unwrap();
    server.abort();
}

/// Polls `service`'s status until it is `want` (bounded).
async fn wait_for(want: ServingStatus, service: &str, client: &mut HealthClient<tonic::transport::Channel>) {
    bounded("the gRPC health status", async {
        loop {
            let request = HealthCheckRequest { service: service.into() };
            let got = client.check(request).await.map(|r| r.into_inner().status()).unwrap_or(ServingStatus::Unknown);
            if got == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grpc_health_service_follows_the_container() {
    let (app, switches) = app();
    let health = injectq::tonic::health_service(&app, Duration::from_millis(20));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    let server = tokio::spawn(tonic::transport::Server::builder().add_service(health).serve_with_incoming(incoming));
    let channel =
        tonic::transport::Endpoint::from_shared(format!("http://{address}")).unwrap().connect().await.unwrap();
    let mut client = HealthClient::new(channel);
    wait_for(ServingStatus::NotServing, "", &mut client).await;

    app.start().await.unwrap();
    wait_for(ServingStatus::Serving, "", &mut client).await;
    wait_for(ServingStatus::Serving, "Db", &mut client).await;

    switches.db_down.store(true, SeqCst);
    wait_for(ServingStatus::NotServing, "", &mut client).await;
    wait_for(ServingStatus::NotServing, "Db", &mut client).await;
    wait_for(ServingStatus::Serving, "Cache", &mut client).await;
    switches.db_down.store(false, SeqCst);
    wait_for(ServingStatus::Serving, "", &mut client).await;

    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown(Duration::from_secs(10)).await }
    });
    wait_for(ServingStatus::NotServing, "", &mut client).await;
    switches.release_stop.notify_one();
    bounded("shutdown", shutdown).await.unwrap().unwrap();
    server.abort();
}
