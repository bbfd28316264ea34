// The advice of the input messages, followed: the dependent is `scoped`, and the scope is
// opened with its input (`create_scope_with(..)`), from which it is resolved.
use std::sync::Arc;

use injectq::{container, injectable};

pub struct Caller(pub String);

#[injectable]
pub struct Greeter {
    caller: Arc<Caller>,
}

container! {
    pub struct App {
        input Caller;
        scoped Greeter;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let scope = App::new().create_scope_with(Caller("ada".into()));
    let greeter = scope.resolve::<Arc<Greeter>>().await.unwrap();
    assert_eq!(greeter.caller.0, "ada");
    let _: Arc<Caller> = scope.resolve().await.unwrap();
}
