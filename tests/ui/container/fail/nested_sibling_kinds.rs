// A message's handler that needs an upload's buffer: two kinds nested in one connection kind
// are not nested in each other.
use std::sync::Arc;
use injectq::{container, injectable};

pub struct Peer(pub String);

#[injectable]
pub struct Buffer;

#[injectable]
pub struct Handler {
    peer: Arc<Peer>,
    buffer: Arc<Buffer>,
}

container! {
    pub struct App {
        scope ConnectionScope {
            input Peer;

            scope MessageScope {
                scoped Handler;
            }

            scope UploadScope {
                scoped Buffer;
            }
        }
    }
}

fn main() {}
