//! One scope per gRPC call under `injectq::tonic::ScopeLayer`, against a real tonic server on
//! 127.0.0.1 and a real client: every call gets its own scope, disposed once; the scope's input
//! comes from the call's metadata, and a call without it opens no scope; a server-streaming
//! response keeps its scope until its last message; the disposers see how the call ended (OK, an
//! error status returned or streamed, a client gone mid-stream, a panic); `shutdown` waits for
//! the scopes still being disposed. Every wait is bounded, so a hang fails the test.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{Stream, StreamExt, stream};
use injectq::tonic::{RequestScope, ScopeLayer};
use injectq::{AsyncDispose, BoxError, Outcome, container, injectable};
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Server};
use tonic::{Code, Request, Response, Status};

mod pb {
    tonic::include_proto!("notes");
}

use pb::notes_client::NotesClient;
use pb::notes_server::{Notes, NotesServer};
use pb::{GetNote, ListNotes, Note};
use support::bounded;

mod support;

/// What one test's calls did, shared through the container.
#[injectable]
pub struct Probe {
    #[inject(default)]
    created: AtomicUsize,
    /// what each disposer saw, in the order they ran
    #[inject(default)]
    outcomes: Mutex<Vec<Outcome>>,
    /// messages of a stream that found their session disposed
    #[inject(default)]
    used_after_disposal: AtomicUsize,
}

impl Probe {
    fn outcomes(&self) -> Vec<Outcome> {
        self.outcomes.lock().unwrap().clone()
    }
}

/// Who is calling, from the `x-user` metadata.
pub struct Caller(String);

/// The call's session: counted when created, its outcome recorded when disposed.
#[injectable(init = opened, dispose)]
pub struct Session {
    caller: Arc<Caller>,
    probe: Arc<Probe>,
    #[inject(default)]
    disposed: AtomicBool,
}

impl Session {
    async fn opened(&mut self) {
        self.probe.created.fetch_add(1, SeqCst);
    }

    fn note(&self, id: u64) -> Note {
        if self.disposed.load(SeqCst) {
            self.probe.used_after_disposal.fetch_add(1, SeqCst);
        }
        Note { id, author: self.caller.0.clone(), text: format!("note {id}") }
    }
}

impl AsyncDispose for Session {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }

    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        self.disposed.store(true, SeqCst);
        // a disposer that takes a while: `shutdown` must wait for it
        tokio::time::sleep(Duration::from_millis(20)).await;
        self.probe.outcomes.lock().unwrap().push(outcome);
        // the commit of a caller named `nocommit` fails
        if self.caller.0 == "nocommit" { Err("the commit failed".into()) } else { Ok(()) }
    }
}

container! {
    pub struct App {
        singleton Probe;
        input Caller;
        scoped Session;
    }
}

/// The service under test: `get` answers note `id`, `NOT_FOUND` for 404, and panics for 500;
/// `list` streams `limit` notes 5 ms apart, endlessly for 0, and a caller named `failing` gets
/// two notes and then `ABORTED`.
struct NotesApi;

#[tonic::async_trait]
impl Notes for NotesApi {
    async fn get(&self, request: Request<GetNote>) -> Result<Response<Note>, Status> {
        let scope = request.scope::<App>()?;
        let session: Arc<Session> = scope.resolve().await?;
        let again: Arc<Session> = scope.resolve().await?;
        assert!(Arc::ptr_eq(&session, &again), "a call's scope creates its session once");
        match request.get_ref().id {
            404 => Err(Status::not_found("no such note")),
            500 => panic!("the handler panics"),
            id => Ok(Response::new(session.note(id))),
        }
    }

    type ListStream = Pin<Box<dyn Stream<Item = Result<Note, Status>> + Send>>;

    async fn list(&self, request: Request<ListNotes>) -> Result<Response<Self::ListStream>, Status> {
        let session: Arc<Session> = request.scope::<App>()?.resolve().await?;
        let limit = match request.get_ref().limit {
            0 => u64::MAX,
            limit => u64::from(limit),
        };
        let failing = session.caller.0 == "failing";
        let notes = stream::iter(0..limit).then(move |id| {
            let session = Arc::clone(&session);
            async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                if failing && id == 2 {
                    return Err(Status::aborted("the stream fails"));
                }
                Ok(session.note(id))
            }
        });
        // a stream ends at its first error, as tonic's clients read it
        let mut failed = false;
        let notes = notes.take_while(move |note| {
            let go_on = !failed;
            failed |= note.is_err();
            std::future::ready(go_on)
        });
        Ok(Response::new(Box::pin(notes)))
    }
}

/// A running server of `app` (with its scope layer unless `layered` is false), and a client.
struct Running {
    app: App,
    client: NotesClient<Channel>,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<(), tonic::transport::Error>>,
}

async fn serve(layered: bool) -> Running {
    serve_with(layered, false).await
}

/// As [`serve`], the layer disposing each call's scope before its status if `before_status`.
async fn serve_with(layered: bool, before_status: bool) -> Running {
    let app = App::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let layer = ScopeLayer::with_inputs(app.clone(), |metadata| {
        match metadata.get("x-user").and_then(|user| user.to_str().ok()) {
            Some(user) => Ok(Caller(user.to_owned())),
            None => Err(Status::unauthenticated("no x-user")),
        }
    });
    let layer = if before_status { layer.dispose_before_status() } else { layer };
    let incoming = TcpIncoming::from(listener);
    let shutdown = async {
        let _ = stopped.await;
    };
    let service = NotesServer::new(NotesApi);
    let server = if layered {
        tokio::spawn(
            Server::builder().layer(layer).add_service(service).serve_with_incoming_shutdown(incoming, shutdown),
        )
    } else {
        tokio::spawn(Server::builder().add_service(service).serve_with_incoming_shutdown(incoming, shutdown))
    };
    let client = NotesClient::connect(format!("http://{address}")).await.unwrap();
    Running { app, client, stop, server }
}

impl Running {
    async fn probe(&self) -> Arc<Probe> {
        self.app.resolve().await.unwrap()
    }

    /// Stops the server, then the container, which waits for the scopes still being disposed.
    async fn stop(self) {
        let _ = self.stop.send(());
        bounded("the server stops", self.server).await.unwrap().unwrap();
        bounded("shutdown", self.app.shutdown(Duration::from_secs(10))).await.unwrap();
    }
}

fn as_user<T>(user: &str, message: T) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert("x-user", user.parse().unwrap());
    request
}

/// Waits until `n` scopes have been disposed.
async fn disposed(probe: &Probe, n: usize) -> Vec<Outcome> {
    bounded("the disposals", async {
        while probe.outcomes.lock().unwrap().len() < n {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await;
    probe.outcomes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_unary_calls_get_one_scope_each_disposed_once_and_shutdown_waits() {
    let running = serve(true).await;
    let probe = running.probe().await;
    let calls = (0..64).map(|i| {
        let mut client = running.client.clone();
        let user = format!("user{i}");
        tokio::spawn(async move {
            let note = client.get(as_user(&user, GetNote { id: i })).await.unwrap().into_inner();
            assert_eq!((note.id, note.author), (i, user), "each call's scope has its own caller");
        })
    });
    for call in bounded("the calls", futures_util::future::join_all(calls)).await {
        call.unwrap();
    }
    // no waiting for the disposals here: `shutdown` must
    running.stop().await;
    assert_eq!(probe.created.load(SeqCst), 64);
    assert_eq!(probe.outcomes(), vec![Outcome::Completed; 64], "every scope disposed once, as completed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_without_its_input_is_refused_and_opens_no_scope() {
    let mut running = serve(true).await;
    let refused = running.client.get(Request::new(GetNote { id: 1 })).await.unwrap_err();
    assert_eq!((refused.code(), refused.message()), (Code::Unauthenticated, "no x-user"));
    let probe = running.probe().await;
    running.stop().await;
    assert_eq!(probe.created.load(SeqCst), 0);
    assert_eq!(probe.outcomes(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_keeps_its_scope_until_its_last_message() {
    let mut running = serve(true).await;
    let probe = running.probe().await;
    let mut notes = running.client.list(as_user("ada", ListNotes { limit: 10 })).await.unwrap().into_inner();
    let mut received = 0;
    while let Some(note) = bounded("a note", notes.message()).await.unwrap() {
        assert_eq!(note.author, "ada");
        received += 1;
    }
    assert_eq!(received, 10);
    assert_eq!(disposed(&probe, 1).await, vec![Outcome::Completed]);
    assert_eq!(probe.used_after_disposal.load(SeqCst), 0, "no note was made by a disposed session");
    running.stop().await;
    assert_eq!(probe.created.load(SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_status_returned_or_streamed_is_a_failed_call() {
    let mut running = serve(true).await;
    let probe = running.probe().await;
    let missing = running.client.get(as_user("ada", GetNote { id: 404 })).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    assert_eq!(disposed(&probe, 1).await, vec![Outcome::Failed], "an error returned by the handler");

    let mut notes = running.client.list(as_user("failing", ListNotes { limit: 10 })).await.unwrap().into_inner();
    let mut received = 0;
    let error = loop {
        match bounded("a note", notes.message()).await {
            Ok(Some(_)) => received += 1,
            Ok(None) => panic!("the stream should fail"),
            Err(status) => break status,
        }
    };
    assert_eq!((received, error.code()), (2, Code::Aborted));
    assert_eq!(disposed(&probe, 2).await, vec![Outcome::Failed; 2], "an error at the end of a stream");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_mid_stream_cancels_the_call() {
    let mut running = serve(true).await;
    let probe = running.probe().await;
    let mut notes = running.client.list(as_user("ada", ListNotes { limit: 0 })).await.unwrap().into_inner();
    bounded("a note", notes.message()).await.unwrap().expect("an endless stream");
    drop(notes);
    assert_eq!(disposed(&probe, 1).await, vec![Outcome::Cancelled]);
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_that_panics_is_a_panicked_call() {
    let mut running = serve(true).await;
    let probe = running.probe().await;
    // the panic goes on to the server, which drops the call: the client sees an error
    let result = bounded("the call", running.client.get(as_user("ada", GetNote { id: 500 }))).await;
    assert!(result.is_err());
    assert_eq!(disposed(&probe, 1).await, vec![Outcome::Panicked]);
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_layer_a_call_answers_internal() {
    let mut running = serve(false).await;
    let error = running.client.get(as_user("ada", GetNote { id: 1 })).await.unwrap_err();
    assert_eq!(error.code(), Code::Internal);
    assert_eq!(error.message(), "internal error: this call has no request scope");
    running.stop().await;
}

/// With `dispose_before_status`, a unary call's answer comes after its scope's disposal (its
/// commit): when the client has the answer, the disposer has run. Without it, the disposer (20 ms
/// long) runs after the answer, and the count lags behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disposed_before_the_status_a_unary_answer_comes_after_its_commit() {
    let mut running = serve_with(true, true).await;
    let probe = running.probe().await;
    for i in 0..5 {
        let note = bounded("a call", running.client.get(as_user("ada", GetNote { id: i }))).await.unwrap();
        assert_eq!(note.into_inner().id, i);
        assert_eq!(probe.outcomes().len(), usize::try_from(i).unwrap() + 1, "call {i} answered before its commit");
    }
    // concurrent calls too: each answer after its own commit
    let calls = (0..32).map(|i| {
        let mut client = running.client.clone();
        tokio::spawn(async move { client.get(as_user(&format!("user{i}"), GetNote { id: i })).await.map(|_| ()) })
    });
    for call in bounded("the calls", futures_util::future::join_all(calls)).await {
        call.unwrap().unwrap();
    }
    assert_eq!(probe.outcomes(), vec![Outcome::Completed; 37], "every scope disposed, once, before its answer");
    running.stop().await;
    assert_eq!(probe.created.load(SeqCst), 37);
}

/// A commit that fails becomes the call's status: the client never reads a success whose work
/// failed. A handler's own error keeps its status, answered after the disposal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disposed_before_the_status_a_failed_commit_is_the_calls_status() {
    let mut running = serve_with(true, true).await;
    let probe = running.probe().await;
    let failed = bounded("a call", running.client.get(as_user("nocommit", GetNote { id: 1 }))).await.unwrap_err();
    assert_eq!(failed.code(), Code::Internal);
    assert_eq!(failed.message(), "internal error: the call's work could not be completed");
    assert_eq!(probe.outcomes(), vec![Outcome::Completed], "the disposer saw a completed call, and failed");

    let missing = bounded("a call", running.client.get(as_user("ada", GetNote { id: 404 }))).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound, "the handler's status stays");
    assert_eq!(probe.outcomes(), vec![Outcome::Completed, Outcome::Failed], "disposed before the answer");
    running.stop().await;
}

/// A stream's messages go out as they are made, with its scope alive; its final status waits for
/// the disposal, and a failed commit is that status, after the messages already sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disposed_before_the_status_a_stream_ends_with_its_commit() {
    let mut running = serve_with(true, true).await;
    let probe = running.probe().await;
    let mut notes = running.client.list(as_user("ada", ListNotes { limit: 10 })).await.unwrap().into_inner();
    let mut received = 0;
    while let Some(note) = bounded("a note", notes.message()).await.unwrap() {
        assert_eq!(note.author, "ada");
        received += 1;
    }
    assert_eq!(received, 10);
    assert_eq!(probe.outcomes(), vec![Outcome::Completed], "the stream ended after its commit");
    assert_eq!(probe.used_after_disposal.load(SeqCst), 0, "no note was made by a disposed session");

    let mut notes = running.client.list(as_user("nocommit", ListNotes { limit: 3 })).await.unwrap().into_inner();
    let mut received = 0;
    let end = loop {
        match bounded("a note", notes.message()).await {
            Ok(Some(_)) => received += 1,
            Ok(None) => panic!("the stream's commit fails: its status must say so"),
            Err(status) => break status,
        }
    };
    assert_eq!((received, end.code()), (3, Code::Internal), "the messages, then the failed commit");

    // a client that goes away mid-stream still cancels the call
    let mut notes = running.client.list(as_user("ada", ListNotes { limit: 0 })).await.unwrap().into_inner();
    bounded("a note", notes.message()).await.unwrap().expect("an endless stream");
    drop(notes);
    assert_eq!(disposed(&probe, 3).await[2], Outcome::Cancelled);
    running.stop().await;
}
