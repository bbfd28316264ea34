//! A library with an injectq module, used by another crate's container (the root package's
//! `tests/modules.rs`): modules work across crates.

use std::sync::Arc;

use injectq::{factory, injectable, token};

token! {
    /// Where the catalog's data lives.
    pub CatalogUrl: String;
}

/// The catalog's storage.
pub trait Store: Send + Sync {
    /// The product with this id.
    fn product(&self, id: u32) -> String;
}

/// Storage in memory.
#[injectable]
pub struct MemoryStore {
    #[inject(token = CatalogUrl)]
    url: String,
}

impl Store for MemoryStore {
    fn product(&self, id: u32) -> String {
        format!("product {id} from {}", self.url)
    }
}

/// A price list, built by a factory.
pub struct Prices(pub u32);

/// Builds the price list.
#[factory]
pub fn load_prices() -> Prices {
    Prices(42)
}

/// The service the module exists for.
#[injectable]
pub struct Catalog {
    /// Where products are stored.
    pub store: Arc<dyn Store>,
    /// The prices.
    pub prices: Arc<Prices>,
}

injectq::module! {
    /// The catalog: its storage, its prices and the catalog service. Needs a `CatalogUrl` token.
    pub catalog {
        singleton dyn crate::Store => crate::MemoryStore;
        singleton crate::Prices = crate::load_prices;
        transient crate::Catalog;
    }
}
