//! Requests per second through axum and tonic (`src/web.rs`): a request that opens a scope,
//! resolves 3 scoped services (one with an async disposer) and answers, against the same wired by
//! hand and against a route that injects nothing.
//!
//! The server runs on a tokio runtime of one worker thread; the client, in the same process, on a
//! runtime of its own thread: on 2 cores, the server's thread is busy all the time, so that its
//! requests per second are the inverse of its CPU time per request. For axum, the client keeps 32
//! (then 128) HTTP/1.1 connections alive, each sending its next request when the answer to the
//! last one has arrived; it allocates nothing while measuring, so the allocations per request are
//! the server's (hyper, axum, the route). For tonic, 32 (then 128) callers share 8 HTTP/2
//! connections (tonic's client, whose own allocations are counted too: they are the same for
//! every variant). Each variant is measured in turn, three rounds; the medians are printed as
//! `name value` lines, read by `benches/report.py`.

use std::future::Future;
use std::time::{Duration, Instant};

use injectq::tonic::ScopeLayer;
use injectq_benches::counting::{Counting, allocations};
use injectq_benches::web::{self, BenchServer, Handler, WebApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[global_allocator]
static GLOBAL: Counting = Counting;

const CONCURRENCY: [usize; 2] = [32, 128];
const ROUNDS: usize = 3;
const WARM_UP: Duration = Duration::from_millis(300);
const MEASURED: Duration = Duration::from_secs(2);
/// The HTTP/2 connections the gRPC callers share.
const CHANNELS: usize = 8;

/// A port on loopback of the server's runtime, and its address.
fn listener(server: &tokio::runtime::Runtime) -> (tokio::net::TcpListener, std::net::SocketAddr) {
    server.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        (listener, address)
    })
}

/// Serves `router` on the server's runtime.
fn serve_axum(server: &tokio::runtime::Runtime, router: axum::Router) -> String {
    let (listener, address) = listener(server);
    server.spawn(async move { axum::serve(listener, router).await });
    address.to_string()
}

/// Serves the gRPC service with `handler` on the server's runtime, in a scope per call if `scoped`
/// (with `before`: disposed before the status).
fn serve_tonic(server: &tokio::runtime::Runtime, app: &WebApp, handler: Handler, layer: Option<bool>) -> String {
    let (listener, address) = listener(server);
    let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
    let service = BenchServer::new(handler);
    let mut builder = tonic::transport::Server::builder();
    match layer {
        None => server.spawn(builder.add_service(service).serve_with_incoming(incoming)),
        Some(before) => {
            let mut layer = ScopeLayer::new(app.clone());
            if before {
                layer = layer.dispose_before_status();
            }
            server.spawn(builder.add_service(layer.around(service)).serve_with_incoming(incoming))
        }
    };
    format!("http://{address}")
}

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n";

/// Sends HTTP/1.1 requests on one connection until `end`, one at a time, and records each one's
/// latency (nanoseconds) once `start` has passed.
async fn http_connection(address: String, start: Instant, end: Instant, mut latencies: Vec<u64>) -> Vec<u64> {
    let mut stream = TcpStream::connect(address).await.expect("connected");
    stream.set_nodelay(true).expect("no delay");
    let mut response = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    loop {
        let sent = Instant::now();
        if sent >= end {
            return latencies;
        }
        stream.write_all(REQUEST).await.expect("sent");
        response.clear();
        while !response.ends_with(b"\r\n\r\nok") {
            let n = stream.read(&mut buffer).await.expect("read");
            assert!(n > 0, "the server closed the connection");
            response.extend_from_slice(&buffer[..n]);
        }
        if sent >= start {
            latencies.push(sent.elapsed().as_nanos() as u64);
        }
    }
}

/// Makes unary calls on `channel` until `end`, one at a time, recording latencies like
/// [`http_connection`].
async fn grpc_caller(
    channel: tonic::transport::Channel,
    start: Instant,
    end: Instant,
    mut latencies: Vec<u64>,
) -> Vec<u64> {
    let mut client = tonic::client::Grpc::new(channel);
    let path = http::uri::PathAndQuery::from_static(web::ASK);
    loop {
        let sent = Instant::now();
        if sent >= end {
            return latencies;
        }
        client.ready().await.expect("ready");
        let codec = tonic_prost::ProstCodec::<web::Ask, web::Answer>::default();
        let answer = client.unary(tonic::Request::new(web::Ask { id: 7 }), path.clone(), codec).await;
        assert_eq!(answer.expect("answered").into_inner().text, "ok");
        if sent >= start {
            latencies.push(sent.elapsed().as_nanos() as u64);
        }
    }
}

/// One measurement: requests per second, p99 latency (µs), allocations per request.
struct Run {
    rps: f64,
    p99_us: f64,
    allocations: f64,
}

/// Runs `clients` (each given the window and a `Vec` for its latencies) and measures them.
fn measure<F, Fut>(client: &tokio::runtime::Runtime, clients: usize, mut spawn: F) -> Run
where
    F: FnMut(usize, Instant, Instant, Vec<u64>) -> Fut,
    Fut: Future<Output = Vec<u64>> + Send + 'static,
{
    client.block_on(async {
        let start = Instant::now() + WARM_UP;
        let end = start + MEASURED;
        let tasks: Vec<_> = (0..clients)
            .map(|i| tokio::spawn(spawn(i, start, end, Vec::with_capacity(2_000_000 / clients + 1_000))))
            .collect();
        tokio::time::sleep_until(start.into()).await;
        let (allocated, _) = allocations();
        let mut all = Vec::with_capacity(2_000_000);
        let mut handles = tasks.into_iter();
        // the allocations are read when the first client is done: the others end within a
        // request of it, and their `Vec`s are merged after
        let first = handles.next().expect("a client").await.expect("measured");
        let (allocated_after, _) = allocations();
        all.extend(first);
        for handle in handles {
            all.extend(handle.await.expect("measured"));
        }
        all.sort_unstable();
        let requests = all.len() as f64;
        Run {
            rps: requests / MEASURED.as_secs_f64(),
            p99_us: all[all.len() * 99 / 100] as f64 / 1e3,
            allocations: (allocated_after - allocated) as f64 / requests,
        }
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Prints the medians of each variant's runs.
fn report(protocol: &str, concurrency: usize, names: &[&str], runs: Vec<Vec<Run>>) {
    for (name, runs) in names.iter().zip(runs) {
        let rps = median(runs.iter().map(|r| r.rps).collect());
        let p99 = median(runs.iter().map(|r| r.p99_us).collect());
        let allocations = median(runs.iter().map(|r| r.allocations).collect());
        println!("{protocol}_{name}_{concurrency}_rps {rps:.0}");
        println!("{protocol}_{name}_{concurrency}_p99_us {p99:.1}");
        println!("{protocol}_{name}_{concurrency}_allocations {allocations:.2}");
    }
}

fn main() {
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let client = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let app = server.block_on(async { WebApp::new() });

    let routes: Vec<(&str, String)> =
        web::routers(&app).into_iter().map(|(name, router)| (name, serve_axum(&server, router))).collect();
    let names: Vec<&str> = routes.iter().map(|(name, _)| *name).collect();
    for concurrency in CONCURRENCY {
        let mut runs: Vec<Vec<Run>> = routes.iter().map(|_| Vec::new()).collect();
        for _ in 0..ROUNDS {
            for ((_, address), runs) in routes.iter().zip(&mut runs) {
                runs.push(measure(&client, concurrency, |_, start, end, latencies| {
                    http_connection(address.clone(), start, end, latencies)
                }));
            }
        }
        report("axum", concurrency, &names, runs);
    }

    let services = [
        ("bare", serve_tonic(&server, &app, Handler::Bare, None)),
        ("hand", serve_tonic(&server, &app, Handler::Hand(web::Hand::new()), None)),
        ("injectq", serve_tonic(&server, &app, Handler::Injectq, Some(false))),
        ("injectq_before", serve_tonic(&server, &app, Handler::Injectq, Some(true))),
    ];
    let names: Vec<&str> = services.iter().map(|(name, _)| *name).collect();
    let channels: Vec<Vec<tonic::transport::Channel>> = services
        .iter()
        .map(|(_, address)| {
            client.block_on(async {
                let mut channels = Vec::new();
                for _ in 0..CHANNELS {
                    let endpoint = tonic::transport::Endpoint::from_shared(address.clone()).expect("an address");
                    channels.push(endpoint.tcp_nodelay(true).connect().await.expect("connected"));
                }
                channels
            })
        })
        .collect();
    for concurrency in CONCURRENCY {
        let mut runs: Vec<Vec<Run>> = services.iter().map(|_| Vec::new()).collect();
        for _ in 0..ROUNDS {
            for (channels, runs) in channels.iter().zip(&mut runs) {
                runs.push(measure(&client, concurrency, |i, start, end, latencies| {
                    grpc_caller(channels[i % CHANNELS].clone(), start, end, latencies)
                }));
            }
        }
        report("tonic", concurrency, &names, runs);
    }

    // every request's connection was handed back: the scopes' disposers ran
    server.block_on(async {
        app.shutdown(Duration::from_secs(10)).await.expect("every scope disposed");
    });
}
