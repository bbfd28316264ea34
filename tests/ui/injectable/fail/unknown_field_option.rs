use injectq::injectable;

#[injectable]
pub struct Retry {
    #[inject(optional)]
    attempts: u32,
}

fn main() {}
