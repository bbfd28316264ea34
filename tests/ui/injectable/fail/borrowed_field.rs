// An injectable struct that borrows (a lifetime parameter).
use injectq::injectable;

#[injectable]
pub struct Greeter<'a> {
    name: &'a str,
}

fn main() {}
