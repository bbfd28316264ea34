//! Transients: a new value at every resolve, by value, or as `Arc<T>` / `Box<T>`; built from the
//! root when they need nothing scoped, and from a scope otherwise.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use injectq::{container, injectable};

static BUILT: AtomicUsize = AtomicUsize::new(0);

#[injectable]
pub struct Config;

#[injectable(init = count)]
pub struct Report {
    config: Arc<Config>,
    #[inject(default)]
    serial: usize,
}

impl Report {
    async fn count(&mut self) -> Result<(), std::convert::Infallible> {
        self.serial = BUILT.fetch_add(1, SeqCst);
        Ok(())
    }
}

/// A by-value graph: transients holding transients, no `Arc` in between.
#[injectable]
pub struct Page {
    header: Report,
    footer: Report,
}

container! {
    pub struct App {
        singleton Config;
        transient Report;
        transient Page;
    }
}

#[tokio::test]
async fn every_resolve_builds_a_new_value() {
    let app = App::new();
    let a: Report = app.resolve().await.unwrap();
    let b: Report = app.resolve().await.unwrap();
    assert_ne!(a.serial, b.serial);
    assert!(Arc::ptr_eq(&a.config, &b.config), "the singleton inside is shared");
}

#[tokio::test]
async fn a_transient_comes_by_value_in_an_arc_or_in_a_box() {
    let app = App::new();
    let scope = app.create_scope();
    let by_value: Report = scope.resolve().await.unwrap();
    let in_arc: Arc<Report> = scope.resolve().await.unwrap();
    let in_box: Box<Report> = scope.resolve().await.unwrap();
    let from_root_arc: Arc<Report> = app.resolve().await.unwrap();
    let from_root_box: Box<Report> = app.resolve().await.unwrap();
    let serials = [by_value.serial, in_arc.serial, in_box.serial, from_root_arc.serial, from_root_box.serial];
    for (i, a) in serials.iter().enumerate() {
        for b in &serials[i + 1..] {
            assert_ne!(a, b, "each resolve is a new instance");
        }
    }
}

#[tokio::test]
async fn nested_transients_are_built_fresh_and_by_value() {
    let app = App::new();
    let page: Page = app.resolve().await.unwrap();
    assert_ne!(page.header.serial, page.footer.serial);
}
