// Two `init` hooks on one struct.
use injectq::injectable;

#[injectable(init = connect, init = warm_up)]
pub struct Db;

fn main() {}
