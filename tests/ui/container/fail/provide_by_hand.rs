// `Provide` implemented by hand: it is sealed, for `container!` alone to implement.
use std::sync::Arc;
use injectq::Provide;

pub struct Clock;
pub struct Fake;

impl Provide<Arc<Clock>> for Fake {
    async fn provide(&self) -> injectq::Result<Arc<Clock>> {
        Ok(Arc::new(Clock))
    }
}

fn main() {}
