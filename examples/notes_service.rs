//! A whole service in one container: HTTP requests (axum) and gRPC calls (tonic) with their
//! caller, jobs with their payload, a hosted worker that runs the jobs, and health probes over
//! both protocols.
//!
//! - A request's scope (the container's own kind) takes its caller from the `x-user` header or
//!   metadata; its `Session` is the caller's view of the notes. Adding a note queues a job.
//! - A job's scope (`scope JobScope`) takes its payload, the note to index; its `Indexing` is a
//!   unit of work whose result is kept only when the job ends well (its disposer sees how).
//! - The `Worker` is `hosted`: `start()` starts it once every singleton exists, `shutdown()` stops
//!   it (after it has run the jobs already queued) before the notes it uses are disposed. It and
//!   the store report their health: `/health/ready` and `grpc.health.v1` follow them.
//!
//! Run it with `cargo run -p injectq-examples --example notes_service`: it serves on loopback,
//! calls itself over HTTP and gRPC, and shuts down.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use futures_util::{Stream, StreamExt, stream};
use injectq::axum::{HealthRoutes, Inject, InjectqRouter, ScopeLayer};
use injectq::tonic::RequestScope;
use injectq::{AsyncDispose, BoxError, HealthCheck, Hosted, Outcome, ScopeFactory, container, injectable};
use tokio::sync::mpsc;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

pub mod pb {
    tonic::include_proto!("notes");
}

use pb::notes_client::NotesClient;
use pb::notes_server::{Notes, NotesServer};
use pb::{GetNote, ListNotes, Note};

/// Who is asking: the input of each request's and call's scope.
pub struct Caller(pub String);

/// What a job is about: the input of each job's scope.
pub struct Job {
    pub note: usize,
}

/// One note, and its word count once a job has indexed it.
struct Stored {
    author: String,
    text: String,
    words: Option<usize>,
}

/// Every note: shared by requests, calls and jobs.
#[injectable]
pub struct NoteStore {
    #[inject(default)]
    notes: Mutex<Vec<Stored>>,
}

impl HealthCheck for NoteStore {
    async fn check(&self) -> Result<(), BoxError> {
        // a real store would ping its database here
        self.notes.lock().map(drop).map_err(|_| "the store's lock is poisoned".into())
    }
}

/// The queue from requests to the worker.
#[injectable]
pub struct Queue {
    #[inject(default)]
    channel: Channel,
}

/// An unbounded queue: `None` tells the worker to stop once it has run what came before.
pub struct Channel {
    send: mpsc::UnboundedSender<Option<Job>>,
    receive: Mutex<Option<mpsc::UnboundedReceiver<Option<Job>>>>,
}

impl Default for Channel {
    fn default() -> Self {
        let (send, receive) = mpsc::unbounded_channel();
        Channel { send, receive: Mutex::new(Some(receive)) }
    }
}

/// A request's (or call's) view of the notes: the caller's.
#[injectable]
pub struct Session {
    caller: Arc<Caller>,
    store: Arc<NoteStore>,
    queue: Arc<Queue>,
}

impl Session {
    /// Adds a note by the caller and queues its indexing: its id.
    fn add(&self, text: &str) -> usize {
        let mut notes = self.store.notes.lock().unwrap();
        notes.push(Stored { author: self.caller.0.clone(), text: text.to_owned(), words: None });
        let id = notes.len() - 1;
        let _ = self.queue.channel.send.send(Some(Job { note: id }));
        id
    }

    /// The caller's notes.
    fn notes(&self) -> Vec<Note> {
        let notes = self.store.notes.lock().unwrap();
        let mine = notes.iter().enumerate().filter(|(_, n)| n.author == self.caller.0);
        mine.map(|(id, n)| Note { id: id as u64, author: n.author.clone(), text: describe(n) }).collect()
    }
}

fn describe(note: &Stored) -> String {
    match note.words {
        Some(words) => format!("{} ({words} words)", note.text),
        None => format!("{} (not indexed yet)", note.text),
    }
}

/// A job's unit of work: counts a note's words, and stores the count only if the job ends well.
#[injectable(dispose)]
pub struct Indexing {
    job: Arc<Job>,
    store: Arc<NoteStore>,
    #[inject(default)]
    words: AtomicUsize,
}

impl Indexing {
    fn run(&self) -> Result<(), BoxError> {
        let notes = self.store.notes.lock().unwrap();
        let note = notes.get(self.job.note).ok_or("no such note")?;
        if !note.text.chars().any(char::is_alphanumeric) {
            return Err("a note without words cannot be indexed".into());
        }
        self.words.store(note.text.split_whitespace().count(), Ordering::SeqCst);
        Ok(())
    }
}

impl AsyncDispose for Indexing {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        if outcome.is_completed() {
            let words = self.words.load(Ordering::SeqCst);
            self.store.notes.lock().unwrap()[self.job.note].words = Some(words);
        }
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// Runs the queued jobs, each in a job scope, for the container's life.
#[injectable]
pub struct Worker {
    jobs: ScopeFactory<App, JobScope>,
    queue: Arc<Queue>,
    #[inject(default)]
    running: Mutex<Option<tokio::task::JoinHandle<()>>>,
    #[inject(default)]
    ran: Arc<AtomicUsize>,
}

impl Hosted for Worker {
    async fn start(&self) -> Result<(), BoxError> {
        let mut receive = self.queue.channel.receive.lock().unwrap().take().ok_or("the worker started twice")?;
        let (jobs, ran) = (self.jobs.clone(), Arc::clone(&self.ran));
        let running = tokio::spawn(async move {
            while let Some(Some(job)) = receive.recv().await {
                let Ok(scope) = jobs.create_scope_with(job) else { return };
                let done = async { scope.resolve::<Arc<Indexing>>().await?.run() };
                // the job's outcome decides whether its unit of work keeps its result
                let outcome = if done.await.is_ok() { Outcome::Completed } else { Outcome::Failed };
                let _ = scope.dispose_as(outcome).await;
                ran.fetch_add(1, Ordering::SeqCst);
            }
        });
        *self.running.lock().unwrap() = Some(running);
        Ok(())
    }

    async fn stop(&self) -> Result<(), BoxError> {
        // the jobs queued before this run first
        let _ = self.queue.channel.send.send(None);
        let running = self.running.lock().unwrap().take();
        if let Some(running) = running {
            running.await?;
        }
        Ok(())
    }
}

impl HealthCheck for Worker {
    async fn check(&self) -> Result<(), BoxError> {
        match &*self.running.lock().unwrap() {
            Some(running) if !running.is_finished() => Ok(()),
            _ => Err("the worker is not running".into()),
        }
    }
}

container! {
    pub struct App {
        singleton NoteStore, health;
        singleton Queue;
        hosted Worker, health;
        // a request's or call's scope
        input Caller;
        scoped Session;

        /// A job's scope.
        scope JobScope {
            input Job;
            scoped Indexing;
        }
    }
}

// ------------------------------------------------------------------------------------- HTTP

/// `POST /notes`: adds the body as a note of the caller's.
async fn add_note(Inject(session): Inject<Arc<Session>>, text: String) -> String {
    format!("note {}", session.add(&text))
}

/// `GET /notes`: the caller's notes, one per line.
async fn list_notes(Inject(session): Inject<Arc<Session>>) -> String {
    session.notes().into_iter().map(|n| format!("{}: {}\n", n.id, n.text)).collect()
}

fn router(app: App) -> Router {
    let requests = ScopeLayer::with_inputs(app.clone(), |parts| {
        match parts.headers.get("x-user").and_then(|user| user.to_str().ok()) {
            Some(user) => Ok(Caller(user.to_owned())),
            None => Err((axum::http::StatusCode::UNAUTHORIZED, "who are you? (send `x-user`)")),
        }
    });
    Router::new()
        .route("/notes", get(list_notes).post(add_note))
        .with_scope_layer(requests)
        // the probes need no caller: outside the scope layer
        .merge(HealthRoutes::new(app).into_router())
}

// ------------------------------------------------------------------------------------- gRPC

/// The gRPC service: each method resolves from its call's scope.
pub struct NotesApi;

#[tonic::async_trait]
impl Notes for NotesApi {
    async fn get(&self, request: Request<GetNote>) -> Result<Response<Note>, Status> {
        let session: Arc<Session> = request.scope::<App>()?.resolve().await?;
        let id = request.get_ref().id;
        let note = session.notes().into_iter().find(|n| n.id == id);
        note.map(Response::new).ok_or_else(|| Status::not_found(format!("{} has no note {id}", session.caller.0)))
    }

    type ListStream = Pin<Box<dyn Stream<Item = Result<Note, Status>> + Send>>;

    async fn list(&self, request: Request<ListNotes>) -> Result<Response<Self::ListStream>, Status> {
        let session: Arc<Session> = request.scope::<App>()?.resolve().await?;
        Ok(Response::new(Box::pin(stream::iter(session.notes()).map(Ok))))
    }
}

fn grpc_layer(app: App) -> injectq::tonic::ScopeLayer<App> {
    injectq::tonic::ScopeLayer::with_inputs(app, |metadata| {
        match metadata.get("x-user").and_then(|user| user.to_str().ok()) {
            Some(user) => Ok(Caller(user.to_owned())),
            None => Err(Status::unauthenticated("who are you? (send the `x-user` metadata)")),
        }
    })
}

// ------------------------------------------------------------------------------------- main

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new();
    let report = app.start().await?;
    eprintln!("{report}");
    let hosted: Vec<_> = report.services().iter().map(|s| s.name()).collect();
    println!("started: {hosted:?}, ready: {}", app.is_ready());

    // HTTP and gRPC on loopback, from the one container
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", http.local_addr()?);
    let routes = router(app.clone());
    let http_server = tokio::spawn(async move { axum::serve(http, routes).await });
    let grpc = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let grpc_url = format!("http://{}", grpc.local_addr()?);
    // the notes service in a scope per call; the health service, which probes call without a
    // caller, beside it
    let notes_service = grpc_layer(app.clone()).around(NotesServer::new(NotesApi));
    let grpc_server = tokio::spawn(
        Server::builder()
            .add_service(injectq::tonic::health_service(&app, Duration::from_secs(1)))
            .add_service(notes_service)
            .serve_with_incoming(TcpIncoming::from(grpc)),
    );

    // over HTTP: two notes by ada, one by grace, and one that cannot be indexed
    let client = reqwest::Client::new();
    for (user, text) in
        [("ada", "buy milk and eggs"), ("grace", "fix the compiler"), ("ada", "call grace"), ("ada", "???")]
    {
        let answer = client.post(format!("{base}/notes")).header("x-user", user).body(text).send().await?;
        println!("POST /notes as {user}: {}", answer.text().await?);
    }
    let refused = client.get(format!("{base}/notes")).send().await?.status();
    println!("GET /notes without a caller: {refused}");

    // the worker indexes them in the background; wait for it
    let worker = app.resolve::<Arc<Worker>>().await?;
    while worker.ran.load(Ordering::SeqCst) < 4 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // over gRPC: ada's notes, as a stream, and one of grace's
    let mut notes = NotesClient::connect(grpc_url.clone()).await?;
    let mut list = Request::new(ListNotes { limit: 0 });
    list.metadata_mut().insert("x-user", "ada".parse()?);
    let mut stream = notes.list(list).await?.into_inner();
    while let Some(note) = stream.message().await? {
        println!("gRPC List as ada: {}: {}", note.id, note.text);
    }
    let mut get_one = Request::new(GetNote { id: 1 });
    get_one.metadata_mut().insert("x-user", "grace".parse()?);
    println!("gRPC Get 1 as grace: {}", notes.get(get_one).await?.into_inner().text);
    let ready = client.get(format!("{base}/health/ready")).send().await?;
    println!("GET /health/ready: {}", ready.status());
    let mut health = HealthClient::new(tonic::transport::Endpoint::from_shared(grpc_url)?.connect().await?);
    let serving = health.check(HealthCheckRequest { service: String::new() }).await?.into_inner().status();
    println!("grpc.health.v1 Check: {serving:?}");

    // shutdown: not ready at once; the worker stops, then everything is disposed
    http_server.abort();
    grpc_server.abort();
    app.shutdown(Duration::from_secs(10)).await?;
    println!("after shutdown, ready: {}", app.is_ready());
    Ok(())
}
