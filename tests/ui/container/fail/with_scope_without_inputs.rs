// `with_scope(f)` on a container whose scopes take inputs.
use injectq::container;

pub struct Caller(pub String);

container! {
    pub struct App {
        input Caller;
    }
}

async fn run(app: App) -> injectq::Result<()> {
    app.with_scope(|_scope| async { Ok::<_, injectq::Error>(()) }).await
}

fn main() {
    let _ = run;
}
