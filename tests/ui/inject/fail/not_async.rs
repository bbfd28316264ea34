// `#[inject]` on a plain `fn`: resolving is asynchronous.
use std::sync::Arc;
use injectq::inject;

pub struct Clock;

#[inject]
fn now(#[inject] clock: Arc<Clock>) -> u64 {
    let _ = clock;
    0
}

fn main() {}
