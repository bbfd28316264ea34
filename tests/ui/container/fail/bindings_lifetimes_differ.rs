// Two bindings of one implementation in two lifetimes: the implementation is registered once.
use injectq::{container, injectable};

pub trait Mailer: Send + Sync {}
pub trait Health: Send + Sync {}

#[injectable]
pub struct Smtp;

impl Mailer for Smtp {}
impl Health for Smtp {}

container! {
    pub struct App {
        singleton dyn Mailer => Smtp;
        scoped dyn Health => Smtp;
    }
}

fn main() {}
