// The advice of the nested kinds' errors: a connection's service that needed a message's frame
// moves into the message's kind; what two kinds nested in one need is the outer kind's; a
// message scope is opened from a connection's scope (`scope.outer()` from a step, `.root()` for
// the container).
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Peer(pub String);
pub struct Frame(pub u64);

#[injectable]
pub struct Session {
    peer: Arc<Peer>,
}

/// Was the connection's `Session` needing a `Frame`: now the message's.
#[injectable]
pub struct Handler {
    session: Arc<Session>,
    frame: Arc<Frame>,
    buffer: Arc<Buffer>,
}

/// Needed by two kinds nested in the connection's: the connection's.
#[injectable]
pub struct Buffer;

#[injectable]
pub struct Upload {
    buffer: Arc<Buffer>,
}

container! {
    pub struct App {
        scope ConnectionScope {
            input Peer;
            scoped Session;
            scoped Buffer;

            scope MessageScope {
                input Frame;
                scoped Handler;
            }

            scope UploadScope {
                scoped Upload;
            }
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::new();
    let connection = app.create_connection_scope_with(Peer("ada".into()));
    let message = connection.create_message_scope_with(Frame(1));
    let handler = message.resolve::<Arc<Handler>>().await.unwrap();
    let upload = message.outer().create_upload_scope().resolve::<Arc<Upload>>().await.unwrap();
    assert!(Arc::ptr_eq(&handler.buffer, &upload.buffer), "one buffer per connection");
    assert_eq!((handler.session.peer.0.as_str(), handler.frame.0), ("ada", 1));
    let again = message.root().create_connection_scope_with(Peer("bob".into()));
    assert_eq!(again.resolve::<Arc<Session>>().await.unwrap().peer.0, "bob");
    message.dispose().await.unwrap();
    connection.dispose().await.unwrap();
}
