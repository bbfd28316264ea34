// `#[inject]` on a fn with no parameter marked `#[inject]`.
use std::sync::Arc;
use injectq::inject;

pub struct Clock;

#[inject]
async fn now(clock: Arc<Clock>) -> u64 {
    let _ = clock;
    0
}

fn main() {}
