// `get` of a transient with an init hook, which is awaited every time one is built.
use injectq::{container, injectable};

#[injectable(init = warm_up)]
pub struct Cache;

impl Cache {
    async fn warm_up(&mut self) {}
}

container! {
    pub struct App {
        transient Cache;
    }
}

fn main() {
    let app = App::new();
    let _ = app.get::<Cache>();
}
