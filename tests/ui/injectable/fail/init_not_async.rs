// An init hook written as a plain `fn`: an init hook is `async fn(&mut self)`.
use injectq::injectable;

#[injectable(init = connect)]
pub struct Db;

impl Db {
    fn connect(&mut self) {}
}

fn main() {}
