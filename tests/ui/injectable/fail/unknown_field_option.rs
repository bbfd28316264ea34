use injectq::injectable;

#[injectable]
pub struct Retry {
    #[inject(fallback = 3)]
    attempts: u32,
}

fn main() {}
