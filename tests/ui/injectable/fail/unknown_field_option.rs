// An `#[inject(..)]` field option that does not exist (`optional`).
use injectq::injectable;

#[injectable]
pub struct Retry {
    #[inject(optional)]
    attempts: u32,
}

fn main() {}
