// Two singletons that each need the other (a dependency cycle).
use std::sync::Arc;
use injectq::{container, injectable};

#[injectable]
pub struct Orders {
    customers: Arc<Customers>,
}

#[injectable]
pub struct Customers {
    orders: Arc<Orders>,
}

container! {
    pub struct App {
        singleton Orders;
        singleton Customers;
    }
}

fn main() {}
