use injectq::factory;

#[factory]
async fn warm_up() {}

fn main() {}
