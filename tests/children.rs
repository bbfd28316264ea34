//! Child containers (Ascender's module injectors, Dagger's subcomponents): a child sees its
//! parent's registrations, owns its own singletons, is created at run time from the parent, and
//! is disposed before it.

use std::sync::{Arc, Mutex};

use injectq::{AsyncDispose, BoxError, container, injectable};

#[derive(Default)]
pub struct Log(Mutex<Vec<&'static str>>);

#[injectable(dispose)]
pub struct Database {
    log: Arc<Log>,
}

impl AsyncDispose for Database {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.0.lock().unwrap().push("close Database");
        Ok(())
    }
}

#[injectable]
pub struct RequestContext;

/// The parent's transient: rebuilt in the child, from the child's scope.
#[injectable]
pub struct Handler {
    context: Arc<RequestContext>,
}

/// The child's own singleton, which uses the parent's.
#[injectable(dispose)]
pub struct AuditLog {
    log: Arc<Log>,
    database: Arc<Database>,
}

impl AsyncDispose for AuditLog {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.0.lock().unwrap().push("close AuditLog");
        Ok(())
    }
}

#[injectable]
pub struct AdminHandler {
    handler: Handler,
    audit: Arc<AuditLog>,
}

container! {
    pub struct App {
        value Log;
        singleton Database;
        scoped RequestContext;
        transient Handler;

        /// The admin area: its own audit log beside everything of the app.
        child pub struct Admin {
            singleton AuditLog;
            transient AdminHandler;
        }

        /// A second child, declared beside the first: each sees the parent, neither the other.
        child pub struct Reports {
            singleton ReportCache;
        }
    }
}

#[injectable(dispose)]
pub struct ReportCache {
    log: Arc<Log>,
    database: Arc<Database>,
}

impl AsyncDispose for ReportCache {
    async fn dispose(&self) -> Result<(), BoxError> {
        self.log.0.lock().unwrap().push("close ReportCache");
        Ok(())
    }
}

#[tokio::test]
async fn two_children_of_one_parent_share_its_singletons_and_are_disposed_before_it() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let (admin, reports) = (Admin::new(&app), Reports::new(&app));
    let audit = admin.resolve::<Arc<AuditLog>>().await.unwrap();
    let cache = reports.resolve::<Arc<ReportCache>>().await.unwrap();
    assert!(Arc::ptr_eq(&audit.database, &cache.database), "both see the parent's one database");
    app.dispose().await.unwrap();
    let closed = log.0.lock().unwrap().clone();
    assert_eq!(closed.last(), Some(&"close Database"), "the parent's own services last: {closed:?}");
    assert_eq!(closed.len(), 3, "{closed:?}");
}

#[tokio::test]
async fn a_child_sees_its_parents_instances_and_owns_its_own() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let database = app.resolve::<Arc<Database>>().await.unwrap();

    let admin = Admin::new(&app);
    let audit = admin.resolve::<Arc<AuditLog>>().await.unwrap();
    assert!(Arc::ptr_eq(&audit.database, &database), "the parent's singleton is shared");
    let second = Admin::new(&app).resolve::<Arc<AuditLog>>().await.unwrap();
    assert!(!Arc::ptr_eq(&audit, &second), "each child owns its singletons");

    let scope: AdminScope = admin.create_scope();
    let a: AdminHandler = scope.resolve().await.unwrap();
    let b: AdminHandler = scope.resolve().await.unwrap();
    assert!(Arc::ptr_eq(&a.handler.context, &b.handler.context), "scoped services live in the child's scope");
    assert!(Arc::ptr_eq(&a.audit, &audit));
}

#[tokio::test]
async fn a_child_is_disposed_before_its_parent() {
    let log = Arc::new(Log::default());
    let app = App::new(Arc::clone(&log));
    let admin = Admin::new(&app);
    admin.resolve::<Arc<AuditLog>>().await.unwrap(); // creates Database (the parent's), then AuditLog
    app.dispose().await.unwrap();
    assert_eq!(*log.0.lock().unwrap(), ["close AuditLog", "close Database"]);
    assert!(admin.resolve::<Arc<AuditLog>>().await.is_err(), "the child was disposed with its parent");
}
