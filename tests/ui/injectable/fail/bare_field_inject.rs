use std::sync::Arc;
use injectq::injectable;

pub struct Clock;

#[injectable]
pub struct Timer {
    #[inject]
    clock: Arc<Clock>,
}

fn main() {}
