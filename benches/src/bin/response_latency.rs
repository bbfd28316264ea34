//! What a slow disposer adds to a response: an axum server on loopback whose request scope holds
//! a service that takes 30 ms to dispose, answered with `ScopeLayer`'s default (the response goes
//! first, the scope is disposed after) and with `dispose_before_response()` (the response waits
//! for the disposal: what every response paid before), beside a scope with nothing to dispose.
//! A plain HTTP/1.1 client on one kept-alive connection sends the requests one at a time. Prints
//! one `name value` line per figure (microseconds), read by `benches/report.py`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use injectq::axum::{Inject, ScopeLayer};
use injectq::{AsyncDispose, BoxError, container, injectable};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const REQUESTS: usize = 200;
const DISPOSAL: Duration = Duration::from_millis(30);

/// Takes 30 ms to close.
#[injectable(dispose)]
pub struct SlowConnection;

impl AsyncDispose for SlowConnection {
    async fn dispose(&self) -> Result<(), BoxError> {
        tokio::time::sleep(DISPOSAL).await;
        Ok(())
    }
}

/// Nothing to close.
#[injectable]
pub struct Plain;

container! {
    pub struct App {
        scoped SlowConnection;
        scoped Plain;
    }
}

async fn slow(Inject(_c): Inject<Arc<SlowConnection>>) -> &'static str {
    "ok"
}

async fn plain(Inject(_p): Inject<Arc<Plain>>) -> &'static str {
    "ok"
}

async fn serve(layer: ScopeLayer<App>, app: &App) -> String {
    let router: Router =
        Router::new().route("/slow", get(slow)).route("/plain", get(plain)).layer(layer).with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let address = listener.local_addr().expect("its address").to_string();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// One request on `connection`, read to the end of its body ("ok", two bytes).
async fn request(connection: &mut TcpStream, path: &str) {
    let head = format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n");
    connection.write_all(head.as_bytes()).await.expect("sent");
    let mut response = Vec::new();
    let mut buffer = [0u8; 1024];
    while !(response.ends_with(b"\r\n\r\nok")) {
        let n = connection.read(&mut buffer).await.expect("read");
        assert!(n > 0, "the server closed the connection");
        response.extend_from_slice(&buffer[..n]);
    }
}

/// Median and 99th percentile of `REQUESTS` sequential requests, in microseconds.
async fn latency(address: &str, path: &str) -> (f64, f64) {
    let mut connection = TcpStream::connect(address).await.expect("connected");
    connection.set_nodelay(true).expect("no delay");
    for _ in 0..10 {
        request(&mut connection, path).await; // warm-up
    }
    let mut times: Vec<f64> = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let started = Instant::now();
        request(&mut connection, path).await;
        times.push(started.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    (times[REQUESTS / 2], times[REQUESTS * 99 / 100])
}

#[tokio::main]
async fn main() {
    let app = App::new();
    let after = serve(ScopeLayer::new(app.clone()), &app).await;
    let before = serve(ScopeLayer::new(app.clone()).dispose_before_response(), &app).await;
    for (name, address, path) in
        [("latency_plain", &after, "/plain"), ("latency_after", &after, "/slow"), ("latency_before", &before, "/slow")]
    {
        let (median, p99) = latency(address, path).await;
        println!("{name}_median_us {median:.0}");
        println!("{name}_p99_us {p99:.0}");
    }
    app.shutdown(Duration::from_secs(10)).await.expect("every scope disposed");
}
