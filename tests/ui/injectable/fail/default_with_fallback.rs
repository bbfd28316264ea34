use injectq::injectable;

#[injectable]
pub struct Client {
    #[inject(default, fallback = 3)]
    retries: u32,
}

fn main() {}
