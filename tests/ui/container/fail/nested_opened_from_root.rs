// A message scope opened from the container: it is opened inside a connection's scope.
use injectq::container;

pub struct Peer(pub String);
pub struct Frame(pub u64);

container! {
    pub struct App {
        scope ConnectionScope {
            input Peer;

            scope MessageScope {
                input Frame;
            }
        }
    }
}

fn main() {
    let app = App::new();
    let _message = app.create_message_scope_with(Frame(1));
}
