// A singleton takes a collection of trait objects one of whose members is scoped (a captive dependency).
use std::sync::Arc;
use injectq::{container, injectable};

pub trait Plugin: Send + Sync {}

#[injectable]
pub struct PerRequest;

impl Plugin for PerRequest {}

#[injectable]
pub struct Registry {
    plugins: Vec<Arc<dyn Plugin>>,
}

container! {
    pub struct App {
        scoped dyn Plugin += PerRequest;
        singleton Registry; // holds a scoped member
    }
}

fn main() {}
