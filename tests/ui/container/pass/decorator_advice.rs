// The advice of the decorators' errors: the service registered, then decorated; the decorator
// marked with `#[inner]` and declared with `decorate`, not registered; a decorator that needs a
// scoped service decorates a scoped registration.
use std::sync::Arc;
use injectq::{container, factory, injectable};

pub trait Mailer: Send + Sync {
    fn name(&self) -> String;
}

#[injectable]
pub struct Smtp;
impl Mailer for Smtp {
    fn name(&self) -> String {
        "smtp".into()
    }
}

pub struct RequestId(pub u64);

struct Tagged(Arc<dyn Mailer>, u64);
impl Mailer for Tagged {
    fn name(&self) -> String {
        format!("{}#{}", self.0.name(), self.1)
    }
}

#[factory]
fn tagged(#[inner] inner: Arc<dyn Mailer>, request: Arc<RequestId>) -> Arc<dyn Mailer> {
    Arc::new(Tagged(inner, request.0))
}

container! {
    pub struct App {
        input RequestId;
        scoped dyn Mailer => Smtp;
        decorate dyn Mailer = tagged;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let scope = App::new().create_scope_with(RequestId(7));
    assert_eq!(scope.resolve::<Arc<dyn Mailer>>().await.unwrap().name(), "smtp#7");
}
