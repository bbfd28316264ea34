// The advice of the decorators' errors: the service registered, then decorated; the decorator
// marked with `#[inner]` and declared with `decorate`, not registered; a decorator that needs a
// scoped service decorates a scoped registration; a transient's decorator takes it by value; a
// decorator with a disposer decorates a scoped (or singleton) service; a loop through a decorator
// is broken by a `Lazy`.
use std::sync::Arc;
use injectq::{AsyncDispose, BoxError, Lazy, container, factory, injectable};

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

#[injectable]
pub struct Limits {
    #[inject(default = 10)]
    max: u32,
}

impl AsyncDispose for Limits {
    async fn dispose(&self) -> Result<(), BoxError> {
        Ok(())
    }
}

#[factory]
fn doubled(#[inner] inner: Limits) -> Limits {
    Limits { max: inner.max * 2 }
}

#[factory]
fn halved(#[inner] inner: Arc<Limits>) -> Limits {
    Limits { max: inner.max / 2 }
}

#[injectable]
pub struct Audit {
    mailer: Lazy<dyn Mailer>,
}

#[factory]
fn audited(#[inner] inner: Arc<dyn Mailer>, _audit: Arc<Audit>) -> Arc<dyn Mailer> {
    inner
}

container! {
    pub struct App {
        input RequestId;
        scoped dyn Mailer => Smtp;
        decorate dyn Mailer = tagged;
        decorate dyn Mailer = audited;
        scoped Audit;
        transient Limits;
        decorate Limits = doubled;
    }
}

container! {
    pub struct Disposing {
        scoped Limits;
        decorate Limits = halved, dispose;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let scope = App::new().create_scope_with(RequestId(7));
    assert_eq!(scope.resolve::<Arc<dyn Mailer>>().await.unwrap().name(), "smtp#7");
    let audit = scope.resolve::<Arc<Audit>>().await.unwrap();
    assert_eq!(audit.mailer.get().await.unwrap().name(), "smtp#7");
    assert_eq!(scope.resolve::<Limits>().await.unwrap().max, 20);
    let scope = Disposing::new().create_scope();
    assert_eq!(scope.resolve::<Arc<Limits>>().await.unwrap().max, 5);
    scope.dispose().await.unwrap();
}
