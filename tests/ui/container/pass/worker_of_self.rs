// The advice of `[injectq::other-container]` and of `[injectq::scope-inputs]`: a worker generic over
// its container, registered as `Worker<Self>` in a module that production and a test import, opens
// scopes with their inputs through `create_scope_with`.
use std::sync::Arc;
use injectq::{Container, ScopeFactory, container, injectable};

pub struct Order(pub u64);

#[injectable]
pub struct Worker<C: Container> {
    scopes: ScopeFactory<C>,
}

#[injectable]
pub struct Receipt {
    order: Arc<Order>,
}

impl<C: Container<Inputs = Order>> Worker<C> {
    fn job(&self, order: u64) -> injectq::Result<C::Scope> {
        self.scopes.create_scope_with(Order(order))
    }
}

injectq::module! {
    pub workers {
        singleton crate::Worker<Self>;
        input crate::Order;
        scoped crate::Receipt;
    }
}

container! {
    pub struct App {
        import workers;
    }
}

container! {
    pub struct TestApp {
        import workers;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::new();
    let scope = app.resolve::<Arc<Worker<App>>>().await.unwrap().job(7).unwrap();
    assert_eq!(scope.resolve::<Arc<Receipt>>().await.unwrap().order.0, 7);
    let test = TestApp::new();
    let scope = test.resolve::<Arc<Worker<TestApp>>>().await.unwrap().job(8).unwrap();
    assert_eq!(scope.resolve::<Arc<Receipt>>().await.unwrap().order.0, 8);
    let _ = app.create_scope_with(Order(9));
}
