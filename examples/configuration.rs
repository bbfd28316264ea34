//! Typed configuration: a struct loaded with serde from defaults, a TOML file and the
//! environment, validated before the container is created, injected whole or by field, and
//! followed live by the services that ask.
//!
//! The file is written to a temporary directory here, so that the example can change it and
//! reload; a service would read `notes.toml` beside it and `NOTES_*` variables
//! (`NOTES_HTTP__PORT=9000` is `http.port`).
//!
//! Run: `cargo run -p injectq-examples --example configuration`

use std::sync::Arc;

use injectq::config::{Checks, Config, Live, Validate};
use injectq::{container, injectable};
use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
pub struct Settings {
    pub http: Http,
    pub limits: Limits,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Http {
    pub port: u16,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Limits {
    pub per_minute: u32,
}

impl Validate for Settings {
    fn validate(&self, checks: &mut Checks) {
        checks.check("http.port", self.http.port >= 1024, "must be 1024 or above");
        checks.check("limits.per_minute", self.limits.per_minute > 0, "must be above 0: 0 would refuse everyone");
    }
}

/// Binds once: takes the port as it was at start.
#[injectable]
pub struct Server {
    http: Arc<Http>,
}

/// Follows the limits: reads them on each request.
#[injectable]
pub struct RateLimiter {
    limits: Live<Limits>,
}

container! {
    pub struct App {
        config Settings { http: Http, limits: Limits };
        singleton Server;
        singleton RateLimiter;
    }
}

const DEFAULTS: &str = "[http]\nport = 8080\n[limits]\nper_minute = 60\n";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("injectq-configuration-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("notes.toml");
    std::fs::write(&file, "[limits]\nper_minute = 100\n")?;
    let sources = Config::new().toml_str(DEFAULTS).toml_file(&file).env("NOTES_");

    // a value that does not validate: refused before any service exists, naming key and source
    std::fs::write(&file, "[limits]\nper_minute = 0\n")?;
    println!("refused: {}", sources.load::<Settings>().unwrap_err());
    std::fs::write(&file, "[limits]\nper_minute = 100\n")?;

    let settings = sources.load::<Settings>()?;
    let app = App::new(settings.clone());
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async {
        let server = app.resolve::<Arc<Server>>().await?;
        let limiter = app.resolve::<Arc<RateLimiter>>().await?;
        println!("port {}, {} requests a minute", server.http.port, limiter.limits.get().per_minute);

        std::fs::write(&file, "[http]\nport = 9090\n[limits]\nper_minute = 250\n")?;
        settings.reload()?;
        println!(
            "after a reload: the server keeps port {}, the limiter follows: {} a minute",
            server.http.port,
            limiter.limits.get().per_minute
        );
        app.dispose().await?;
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
