//! A circular dependency, broken on purpose: `ServiceA` needs `ServiceB`, which needs
//! `ServiceA`. Declared with plain `Arc`s on both sides, the cycle is a compile error that
//! prints the loop; a `Lazy` on one side breaks it on purpose, and both sides work.
//!
//! Run it with `cargo run -p injectq-examples --example forward_ref`.

use std::sync::Arc;

use injectq::{Lazy, container, injectable};

#[injectable]
pub struct ServiceA {
    // resolved on first use, once `ServiceA` exists: the edge that breaks the cycle
    service_b: Lazy<ServiceB>,
}

impl ServiceA {
    fn name(&self) -> &'static str {
        "A"
    }

    async fn greet_b(&self) -> injectq::Result<String> {
        let b = self.service_b.get().await?;
        Ok(format!("A greets {}", b.name()))
    }
}

#[injectable]
pub struct ServiceB {
    service_a: Arc<ServiceA>,
}

impl ServiceB {
    fn name(&self) -> &'static str {
        "B"
    }

    fn greet_a(&self) -> String {
        format!("B greets {}", self.service_a.name())
    }
}

container! {
    pub struct App {
        singleton ServiceA;
        singleton ServiceB;
    }
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    let app = App::new();
    let a = app.resolve::<Arc<ServiceA>>().await?;
    let b = app.resolve::<Arc<ServiceB>>().await?;
    println!("{}", a.greet_b().await?);
    println!("{}", b.greet_a());
    Ok(())
}
