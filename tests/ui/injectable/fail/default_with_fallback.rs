// A field marked both `default` and `fallback`: a default field is not injected.
use injectq::injectable;

#[injectable]
pub struct Client {
    #[inject(default, fallback = 3)]
    retries: u32,
}

fn main() {}
