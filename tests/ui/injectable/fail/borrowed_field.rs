use injectq::injectable;

#[injectable]
pub struct Greeter<'a> {
    name: &'a str,
}

fn main() {}
