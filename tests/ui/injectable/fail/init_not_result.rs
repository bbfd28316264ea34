use injectq::injectable;

#[injectable(init = connect)]
pub struct Db;

impl Db {
    async fn connect(&mut self) {}
}

fn main() {}
