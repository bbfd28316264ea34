//! Nested kinds of scope under axum WebSockets, over a real socket: many connections at once, each
//! with many messages, on the multi-thread runtime. Each connection creates its session once; each
//! message its exchange once, disposed before the connection's session; the container's shutdown
//! waits for the connections still being closed. Nothing is lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use injectq::{AsyncDispose, BoxError, container, injectable};
use support::bounded;
use tokio_tungstenite::tungstenite::Message as ClientMessage;

mod support;

pub struct Peer(pub u64);
pub struct Frame(pub String);

#[derive(Default)]
pub struct Counts {
    sessions: AtomicUsize,
    sessions_disposed: AtomicUsize,
    exchanges: AtomicUsize,
    exchanges_disposed: AtomicUsize,
    /// a session disposed while one of its exchanges was not
    out_of_order: AtomicUsize,
}

#[injectable(init = Self::open, dispose)]
pub struct Session {
    counts: Arc<Counts>,
    #[inject(default)]
    open_exchanges: AtomicUsize,
}

impl Session {
    async fn open(&mut self) {
        self.counts.sessions.fetch_add(1, SeqCst);
    }
}

impl AsyncDispose for Session {
    async fn dispose(&self) -> Result<(), BoxError> {
        if self.open_exchanges.load(SeqCst) != 0 {
            self.counts.out_of_order.fetch_add(1, SeqCst);
        }
        self.counts.sessions_disposed.fetch_add(1, SeqCst);
        Ok(())
    }
}

#[injectable(init = Self::begin, dispose)]
pub struct Exchange {
    session: Arc<Session>,
    peer: Arc<Peer>,
    frame: Arc<Frame>,
}

impl Exchange {
    async fn begin(&mut self) {
        self.session.open_exchanges.fetch_add(1, SeqCst);
        self.session.counts.exchanges.fetch_add(1, SeqCst);
        tokio::task::yield_now().await;
    }
}

impl AsyncDispose for Exchange {
    async fn dispose(&self) -> Result<(), BoxError> {
        tokio::task::yield_now().await;
        self.session.open_exchanges.fetch_sub(1, SeqCst);
        self.session.counts.exchanges_disposed.fetch_add(1, SeqCst);
        Ok(())
    }
}

container! {
    pub struct App {
        value Counts;

        scope ConnectionScope {
            input Peer;
            scoped Session;

            scope MessageScope {
                input Frame;
                scoped Exchange;
            }
        }
    }
}

#[derive(serde::Deserialize)]
struct Who {
    peer: u64,
}

async fn connect(ws: WebSocketUpgrade, Query(who): Query<Who>, State(app): State<App>) -> Response {
    ws.on_upgrade(move |socket| async move { serve(&app, Peer(who.peer), socket).await.unwrap() })
}

async fn serve(app: &App, peer: Peer, mut socket: WebSocket) -> Result<(), BoxError> {
    app.with_connection_scope_with(peer, |connection| async move {
        while let Some(Ok(message)) = socket.recv().await {
            let Message::Text(text) = message else { continue };
            let answer = connection
                .with_message_scope_with(Frame(text.to_string()), |message| async move {
                    // the exchange twice at once: one instance per message
                    let (a, b) = tokio::join!(message.resolve::<Arc<Exchange>>(), message.resolve::<Arc<Exchange>>());
                    let (a, b) = (a?, b?);
                    assert!(Arc::ptr_eq(&a, &b));
                    Ok::<_, BoxError>(format!("{} {}", a.peer.0, a.frame.0))
                })
                .await?;
            socket.send(Message::Text(answer.into())).await?;
        }
        Ok::<_, BoxError>(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_connections_with_many_messages_each_dispose_every_message_before_its_session() {
    const CONNECTIONS: u64 = 20;
    const MESSAGES: usize = 25;
    let counts = Arc::new(Counts::default());
    let app = App::new(Arc::clone(&counts));
    let router = Router::new().route("/ws", get(connect)).with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|peer| {
            tokio::spawn(async move {
                let url = format!("ws://{address}/ws?peer={peer}");
                let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
                for m in 0..MESSAGES {
                    socket.send(ClientMessage::text(format!("m{m}"))).await.unwrap();
                    let answer = socket.next().await.unwrap().unwrap();
                    assert_eq!(answer.to_text().unwrap(), format!("{peer} m{m}"));
                }
                socket.close(None).await.unwrap();
            })
        })
        .collect();
    for client in bounded("the clients", futures_util::future::join_all(clients)).await {
        client.unwrap();
    }
    server.abort();
    bounded("shutdown", app.shutdown(Duration::from_secs(10))).await.unwrap();

    let total = CONNECTIONS as usize * MESSAGES;
    assert_eq!(counts.sessions.load(SeqCst), CONNECTIONS as usize, "one session per connection");
    assert_eq!(counts.sessions_disposed.load(SeqCst), CONNECTIONS as usize);
    assert_eq!(counts.exchanges.load(SeqCst), total, "one exchange per message");
    assert_eq!(counts.exchanges_disposed.load(SeqCst), total, "each disposed once");
    assert_eq!(counts.out_of_order.load(SeqCst), 0, "no session disposed before its messages");
}
