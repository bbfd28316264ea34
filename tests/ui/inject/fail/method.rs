// `#[inject]` on a method (`self`): it works on free functions.
use std::sync::Arc;
use injectq::inject;

pub struct Clock;
pub struct Handler;

impl Handler {
    #[inject]
    async fn handle(&self, #[inject] clock: Arc<Clock>) {
        let _ = clock;
    }
}

fn main() {}
