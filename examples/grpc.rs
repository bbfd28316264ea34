//! A gRPC service with tonic: one scope per call, the caller taken from the call's metadata as
//! the scope's input, a unary call and a server-streaming call whose stream uses the call's
//! scoped session until its last note, and the session disposed after the call, knowing how it
//! went. The service is proto/notes.proto, compiled by build.rs with a protobuf compiler written
//! in Rust: nothing to install.
//!
//! Run it with `cargo run -p injectq-examples --example grpc`: it serves on loopback, calls itself,
//! and shuts down.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{Stream, StreamExt, stream};
use injectq::tonic::{RequestScope, ScopeLayer};
use injectq::{AsyncDispose, BoxError, Outcome, container, factory, injectable};
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

pub mod pb {
    tonic::include_proto!("notes");
}

use pb::notes_client::NotesClient;
use pb::notes_server::{Notes, NotesServer};
use pb::{GetNote, ListNotes, Note};

/// Who is calling: the input of each call's scope, from the `x-user` metadata.
pub struct Caller(pub String);

/// All the notes, shared by every call.
pub struct NoteStore {
    notes: Vec<(String, String)>,
}

#[factory]
fn open_store() -> NoteStore {
    let notes = [("ada", "buy milk"), ("ada", "call grace"), ("grace", "fix the compiler"), ("ada", "write tests")];
    NoteStore { notes: notes.into_iter().map(|(author, text)| (author.to_owned(), text.to_owned())).collect() }
}

/// One call's view of the store: the caller's notes only; it counts what it sent, and says so
/// when the call's scope is disposed.
#[injectable(dispose)]
pub struct Session {
    caller: Arc<Caller>,
    store: Arc<NoteStore>,
    #[inject(default)]
    sent: AtomicUsize,
}

impl Session {
    fn notes(&self) -> impl Iterator<Item = Note> + '_ {
        let (caller, store) = (&self.caller.0, &self.store.notes);
        store.iter().enumerate().filter(move |(_, (author, _))| author == caller).map(|(id, (author, text))| Note {
            id: id as u64,
            author: author.clone(),
            text: text.clone(),
        })
    }

    fn send(&self, note: Note) -> Note {
        self.sent.fetch_add(1, Ordering::SeqCst);
        note
    }
}

impl AsyncDispose for Session {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }

    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        let sent = self.sent.load(Ordering::SeqCst);
        println!("  server: the session of {} ended ({outcome}) after {sent} note(s)", self.caller.0);
        Ok(())
    }
}

container! {
    pub struct App {
        singleton NoteStore = open_store;
        input Caller;
        scoped Session;
    }
}

/// The gRPC service: each method resolves from its call's scope.
pub struct NotesApi;

#[tonic::async_trait]
impl Notes for NotesApi {
    async fn get(&self, request: Request<GetNote>) -> Result<Response<Note>, Status> {
        let session: Arc<Session> = request.scope::<App>()?.resolve().await?;
        let id = request.get_ref().id;
        match session.notes().find(|note| note.id == id) {
            Some(note) => Ok(Response::new(session.send(note))),
            None => Err(Status::not_found(format!("{} has no note {id}", session.caller.0))),
        }
    }

    type ListStream = Pin<Box<dyn Stream<Item = Result<Note, Status>> + Send>>;

    async fn list(&self, request: Request<ListNotes>) -> Result<Response<Self::ListStream>, Status> {
        let session: Arc<Session> = request.scope::<App>()?.resolve().await?;
        let limit = match request.get_ref().limit {
            0 => usize::MAX,
            limit => limit as usize,
        };
        let notes: Vec<Note> = session.notes().take(limit).collect();
        // the stream holds the session: the call's scope stays open until the last note is sent
        let stream = stream::iter(notes).map(move |note| Ok(session.send(note)));
        Ok(Response::new(Box::pin(stream)))
    }
}

/// The scope layer: each call's scope gets its caller from the `x-user` metadata, and a call
/// without one is refused before any scope is opened.
pub fn scope_layer(app: App) -> ScopeLayer<App> {
    ScopeLayer::with_inputs(app, |metadata| match metadata.get("x-user").and_then(|user| user.to_str().ok()) {
        Some(user) => Ok(Caller(user.to_owned())),
        None => Err(Status::unauthenticated("who are you? (send the `x-user` metadata)")),
    })
}

/// A request as `user`.
fn as_user<T>(user: &str, message: T) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert("x-user", user.parse().expect("a user name is ASCII"));
    request
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let app = App::new();
    app.start().await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        Server::builder()
            .layer(scope_layer(app.clone()))
            .add_service(NotesServer::new(NotesApi))
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), async {
                let _ = stopped.await;
            }),
    );

    let mut client = NotesClient::connect(format!("http://{address}")).await?;
    let note = client.get(as_user("ada", GetNote { id: 1 })).await?.into_inner();
    println!("client: ada's note 1 is {:?}", note.text);
    let missing = client.get(as_user("grace", GetNote { id: 1 })).await.unwrap_err();
    println!("client: grace's note 1: {:?}, {}", missing.code(), missing.message());
    let mut notes = client.list(as_user("ada", ListNotes { limit: 0 })).await?.into_inner();
    while let Some(note) = notes.message().await? {
        println!("client: ada's notes: {:?}", note.text);
    }
    let refused = client.get(Request::new(GetNote { id: 0 })).await.unwrap_err();
    println!("client: without `x-user`: {:?}, {}", refused.code(), refused.message());

    let _ = stop.send(());
    server.await??;
    // waits for the calls' scopes still being disposed
    app.shutdown(Duration::from_secs(5)).await?;
    Ok(())
}
