//! WebSocket over axum, with a scope per connection and a scope per message inside it.
//!
//! A connection's scope holds who is connected (its `input`) and its session, which lives as long
//! as the socket. Each text message opens a message scope inside the connection's: it holds the
//! message and its exchange, a unit of work that sees the connection's session and is disposed
//! when the message has been answered, knowing whether answering it failed. When the socket
//! closes, the connection's scope is disposed, after every message's. A journal per peer prints
//! what was disposed, in order.
//!
//! Run it with `cargo run -p injectq-examples --example websocket`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use injectq::{AsyncDispose, BoxError, Outcome, container, injectable};
use tokio_tungstenite::tungstenite::Message as ClientMessage;

/// Who is connected: the connection scope's input.
pub struct Peer(pub String);

/// One text message: the message scope's input.
pub struct Frame(pub String);

/// What each peer's services did when they were disposed, for the printout.
#[derive(Default)]
pub struct Journal(Mutex<BTreeMap<String, Vec<String>>>);

impl Journal {
    fn write(&self, peer: &str, line: String) {
        self.0.lock().unwrap().entry(peer.to_owned()).or_default().push(line);
    }
}

/// A connection's session: one per socket, shared by all its messages.
#[injectable(dispose)]
pub struct Session {
    peer: Arc<Peer>,
    journal: Arc<Journal>,
    #[inject(default)]
    answered: AtomicUsize,
    #[inject(default)]
    failed: AtomicUsize,
}

impl AsyncDispose for Session {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        let (answered, failed) = (self.answered.load(Ordering::SeqCst), self.failed.load(Ordering::SeqCst));
        self.journal.write(&self.peer.0, format!("session closed ({outcome}): {answered} answered, {failed} failed"));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

/// A message's unit of work: one per message, with the connection's session.
#[injectable(dispose)]
pub struct Exchange {
    session: Arc<Session>,
    frame: Arc<Frame>,
}

impl Exchange {
    /// The answer to the message; an empty message cannot be answered.
    fn answer(&self) -> Result<String, BoxError> {
        if self.frame.0.trim().is_empty() {
            return Err("cannot answer an empty message".into());
        }
        Ok(format!("{}, you said {}", self.session.peer.0, self.frame.0.to_uppercase()))
    }
}

impl AsyncDispose for Exchange {
    async fn dispose_after(&self, outcome: Outcome) -> Result<(), BoxError> {
        let counter = if outcome == Outcome::Completed { &self.session.answered } else { &self.session.failed };
        counter.fetch_add(1, Ordering::SeqCst);
        self.session.journal.write(&self.session.peer.0, format!("message {:?} disposed ({outcome})", self.frame.0));
        Ok(())
    }

    async fn dispose(&self) -> Result<(), BoxError> {
        self.dispose_after(Outcome::Completed).await
    }
}

container! {
    pub struct App {
        value Journal;

        /// A WebSocket connection.
        scope ConnectionScope {
            input Peer;
            scoped Session;

            /// One message of a connection.
            scope MessageScope {
                input Frame;
                scoped Exchange;
            }
        }
    }
}

/// `?name=ada`
#[derive(serde::Deserialize)]
struct Who {
    name: String,
}

/// `GET /ws?name=ada`: upgrades to a WebSocket served in a connection scope of its own.
async fn connect(ws: WebSocketUpgrade, Query(who): Query<Who>, State(app): State<App>) -> Response {
    ws.on_upgrade(move |socket| async move {
        if let Err(error) = serve(&app, Peer(who.name), socket).await {
            eprintln!("connection failed: {error}");
        }
    })
}

/// One connection: each text message is answered in a message scope inside the connection's,
/// which is disposed once the socket closes.
async fn serve(app: &App, peer: Peer, socket: WebSocket) -> Result<(), BoxError> {
    app.with_connection_scope_with(peer, |connection| async move {
        let mut socket = socket;
        while let Some(Ok(message)) = socket.recv().await {
            let Message::Text(text) = message else { continue };
            let answer = connection
                .with_message_scope_with(Frame(text.to_string()), |message| async move {
                    message.resolve::<Arc<Exchange>>().await?.answer()
                })
                .await
                .unwrap_or_else(|error| format!("error: {error}"));
            socket.send(Message::Text(answer.into())).await?;
        }
        Ok(())
    })
    .await
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let journal = Arc::new(Journal::default());
    let app = App::new(Arc::clone(&journal));
    let router = Router::new().route("/ws", get(connect)).with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    // two clients, one after the other
    for (name, messages) in [("ada", &["hello", " ", "bye"][..]), ("grace", &["hi"][..])] {
        let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{address}/ws?name={name}")).await?;
        for text in messages {
            socket.send(ClientMessage::text(*text)).await?;
            let answer = socket.next().await.ok_or("the server hung up")??;
            println!("{name} sent {text:?}: {}", answer.to_text()?);
        }
        socket.close(None).await?;
    }

    // the server stops taking connections; `shutdown` waits for the connections still open
    server.abort();
    app.shutdown(Duration::from_secs(5)).await?;
    for (peer, lines) in journal.0.lock().unwrap().iter() {
        println!("{peer}:");
        for line in lines {
            println!("  {line}");
        }
    }
    Ok(())
}
