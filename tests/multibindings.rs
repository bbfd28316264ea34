//! Multibindings: several implementations of one trait, injected together in registration order.

use std::sync::Arc;

use injectq::{container, injectable};

pub trait Plugin: Send + Sync {
    fn name(&self) -> &'static str;
}

#[injectable]
pub struct Auth;
#[injectable]
pub struct Logging;
#[injectable]
pub struct PerRequest;

impl Plugin for Auth {
    fn name(&self) -> &'static str {
        "auth"
    }
}
impl Plugin for Logging {
    fn name(&self) -> &'static str {
        "logging"
    }
}
impl Plugin for PerRequest {
    fn name(&self) -> &'static str {
        "per-request"
    }
}

#[injectable]
pub struct Pipeline {
    plugins: Vec<Arc<dyn Plugin>>,
}

container! {
    pub struct App {
        singleton dyn Plugin += Auth;
        transient dyn Plugin += Logging;
        scoped dyn Plugin += PerRequest;
        transient Pipeline;
    }
}

#[tokio::test]
async fn all_implementations_in_registration_order_each_with_its_lifetime() {
    let app = App::new();
    let scope = app.create_scope();
    let pipeline: Pipeline = scope.resolve().await.unwrap();
    let names: Vec<_> = pipeline.plugins.iter().map(|p| p.name()).collect();
    assert_eq!(names, ["auth", "logging", "per-request"]);

    let again: Vec<Arc<dyn Plugin>> = scope.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&pipeline.plugins[0], &again[0]), "the singleton member is shared");
    assert!(!Arc::ptr_eq(&pipeline.plugins[1], &again[1]), "the transient member is new");
    assert!(Arc::ptr_eq(&pipeline.plugins[2], &again[2]), "the scoped member is the scope's");
    let other_scope: Vec<Arc<dyn Plugin>> = app.create_scope().resolve().await.unwrap();
    assert!(!Arc::ptr_eq(&pipeline.plugins[2], &other_scope[2]));

    // each member stays resolvable on its own
    let _: Arc<Auth> = app.resolve().await.unwrap();
}

mod from_the_root {
    use super::*;

    container! {
        pub struct Root {
            singleton dyn Plugin += Auth;
            singleton dyn Plugin += Logging;
        }
    }

    #[tokio::test]
    async fn without_scoped_members_the_root_provides_the_collection() {
        let plugins: Vec<Arc<dyn Plugin>> = Root::new().resolve().await.unwrap();
        assert_eq!(plugins.len(), 2);
    }
}
