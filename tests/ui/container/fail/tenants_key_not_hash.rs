// A tenant cache whose key (the kind's input) cannot be a map's key.
use injectq::{Tenants, container};

pub struct TenantId(pub String);

container! {
    pub struct App {
        scope TenantScope {
            input TenantId;
        }
    }
}

fn main() {
    let app = App::new();
    let _tenants = Tenants::<App, TenantScope>::of(&app);
}
