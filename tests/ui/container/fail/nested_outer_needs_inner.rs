// A connection's session that needs a message's frame: a connection outlives its messages.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Peer(pub String);
pub struct Frame(pub u64);

#[injectable]
pub struct Session {
    peer: Arc<Peer>,
    frame: Arc<Frame>,
}

container! {
    pub struct App {
        scope ConnectionScope {
            input Peer;
            scoped Session;

            scope MessageScope {
                input Frame;
            }
        }
    }
}

fn main() {}
