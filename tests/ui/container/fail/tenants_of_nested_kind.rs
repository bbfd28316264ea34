// A tenant cache of a kind nested in another: its scopes are opened inside the outer kind's.
use injectq::{Tenants, container};

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TenantId(pub String);
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Caller(pub String);

container! {
    pub struct App {
        scope TenantScope {
            input TenantId;

            scope RequestScope {
                input Caller;
            }
        }
    }
}

fn main() {
    let app = App::new();
    let _tenants = Tenants::<App, RequestScope>::of(&app);
}
