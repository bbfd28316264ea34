// The advice of the binding cases, applied: each compiles, and each binding is the
// implementation's one instance.
use std::sync::Arc;

use injectq::{container, factory, injectable};

pub trait Mailer: Send + Sync {}
pub trait Health: Send + Sync {}

#[injectable]
pub struct Smtp;

impl Mailer for Smtp {}
impl Health for Smtp {}

pub struct Relay;

impl Mailer for Relay {}
impl Health for Relay {}

#[factory]
fn connect() -> Relay {
    Relay
}

// binding_lifetime_differs: the binding takes the implementation's lifetime
container! {
    pub struct LifetimeDiffers {
        singleton Smtp;
        singleton dyn Mailer => Smtp;
    }
}

// binding_factory_of_registered: built where it is registered, bound without a factory
container! {
    pub struct FactoryOfRegistered {
        singleton Relay = connect;
        singleton dyn Mailer => Relay;
    }
}

// bindings_two_factories: one factory, the other binding without one
container! {
    pub struct TwoFactories {
        singleton dyn Mailer => Relay = connect;
        singleton dyn Health => Relay;
    }
}

// bindings_lifetimes_differ: both bindings in one lifetime
container! {
    pub struct LifetimesDiffer {
        singleton dyn Mailer => Smtp;
        singleton dyn Health => Smtp;
    }
}

fn same<A: ?Sized, B: ?Sized>(a: &Arc<A>, b: &Arc<B>) -> bool {
    Arc::as_ptr(a).cast::<()>() == Arc::as_ptr(b).cast::<()>()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> injectq::Result<()> {
    let app = LifetimeDiffers::new();
    assert!(same(&app.resolve::<Arc<dyn Mailer>>().await?, &app.resolve::<Arc<Smtp>>().await?));
    let app = FactoryOfRegistered::new();
    assert!(same(&app.resolve::<Arc<dyn Mailer>>().await?, &app.resolve::<Arc<Relay>>().await?));
    let app = TwoFactories::new();
    assert!(same(&app.resolve::<Arc<dyn Mailer>>().await?, &app.resolve::<Arc<dyn Health>>().await?));
    let app = LifetimesDiffer::new();
    assert!(same(&app.resolve::<Arc<dyn Mailer>>().await?, &app.resolve::<Arc<dyn Health>>().await?));
    Ok(())
}
