// A test container whose scopes take other inputs than the production container's, given to code
// written against the production container's `#[provides]` trait.
use injectq::container;

pub struct Caller(pub String);
pub struct RequestId(pub u64);

container! {
    #[provides(AppServices)]
    pub struct App {
        input Caller;
    }
}

container! {
    pub struct TestApp {
        input Caller;
        input RequestId;
    }
}

fn serve<C: AppServices>(_container: C) {}

fn main() {
    serve(TestApp::new());
}
