// An init hook returns `()` or `Result<(), E>`, not `bool`.
use injectq::injectable;

#[injectable(init = connect)]
pub struct Db;

impl Db {
    async fn connect(&mut self) -> bool {
        true
    }
}

fn main() {}
