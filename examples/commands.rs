//! A keyed map of handlers: each command registers itself under its name, and a dispatcher
//! injects the whole `HashMap<&'static str, Arc<dyn Command>>`.
//!
//! `singleton dyn Command += Status, key = "status";` makes `Status` a singleton and the map's
//! entry `"status"`. A key given twice is a compile error (`[injectq::duplicate-key]`); so is a
//! member without one. Commands come from two modules here, imported into one container: one map.
//!
//! Run: `cargo run -p injectq-examples --example commands`

use std::collections::HashMap;
use std::sync::Arc;

use injectq::{container, injectable, module};

pub trait Command: Send + Sync {
    fn run(&self, args: &[&str]) -> String;
}

/// What the commands read.
pub struct Version(pub &'static str);

#[injectable]
pub struct Status {
    version: Arc<Version>,
}

impl Command for Status {
    fn run(&self, _: &[&str]) -> String {
        format!("up, version {}", self.version.0)
    }
}

#[injectable]
pub struct Echo;

impl Command for Echo {
    fn run(&self, args: &[&str]) -> String {
        args.join(" ")
    }
}

#[injectable]
pub struct Help;

impl Command for Help {
    fn run(&self, _: &[&str]) -> String {
        "commands: echo, help, status".into()
    }
}

/// Runs a command line by its first word.
#[injectable]
pub struct Dispatcher {
    commands: HashMap<&'static str, Arc<dyn Command>>,
}

impl Dispatcher {
    fn dispatch(&self, line: &str) -> String {
        let mut words = line.split_whitespace();
        let name = words.next().unwrap_or_default();
        let args: Vec<_> = words.collect();
        match self.commands.get(name) {
            Some(command) => command.run(&args),
            None => format!("unknown command `{name}`"),
        }
    }
}

module! {
    pub operations {
        value crate::Version;
        singleton dyn crate::Command += crate::Status, key = "status";
    }
}

module! {
    pub basics {
        singleton dyn crate::Command += crate::Echo, key = "echo";
        transient dyn crate::Command += crate::Help, key = "help";
    }
}

container! {
    pub struct App {
        import operations;
        import basics;
        singleton Dispatcher;
    }
}

#[tokio::main]
async fn main() -> injectq::Result<()> {
    let app = App::new(Arc::new(Version("1.4")));
    let dispatcher = app.resolve::<Arc<Dispatcher>>().await?;
    for line in ["status", "echo hello there", "help", "deploy"] {
        println!("> {line}\n{}", dispatcher.dispatch(line));
    }
    Ok(())
}
