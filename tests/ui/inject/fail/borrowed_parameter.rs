// An `#[inject]` parameter taken by reference: the container hands out `Arc<T>`.
use injectq::inject;

pub struct Clock;

#[inject]
async fn now(#[inject] clock: &Clock) {
    let _ = clock;
}

fn main() {}
