// A bare `#[inject]` on a field: fields are injected without it.
use std::sync::Arc;
use injectq::injectable;

pub struct Clock;

#[injectable]
pub struct Timer {
    #[inject]
    clock: Arc<Clock>,
}

fn main() {}
