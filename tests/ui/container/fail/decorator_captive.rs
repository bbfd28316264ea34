// A singleton's decorator that needs a request's scoped service.
use std::sync::Arc;
use injectq::{container, factory, injectable};

pub trait Mailer: Send + Sync {}

#[injectable]
pub struct Smtp;
impl Mailer for Smtp {}

#[injectable]
pub struct RequestId;

#[factory]
fn tagged(#[inner] inner: Arc<dyn Mailer>, _request: Arc<RequestId>) -> Arc<dyn Mailer> {
    inner
}

container! {
    pub struct App {
        singleton dyn Mailer => Smtp;
        decorate dyn Mailer = tagged;
        scoped RequestId;
    }
}

fn main() {}
