//! Typed configuration: `config Settings { http: Http };` with a `Configured<Settings>` loaded
//! from TOML files and the environment, validated before the container exists; its errors name
//! the key and the source; `Live<T>` follows reloads, singletons keep what they were given.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use injectq::config::{Checks, Config, ConfigError, Live, Validate};
use injectq::{container, injectable};
use serde::Deserialize;
use support::bounded;

mod support;

#[derive(Debug, Deserialize, Clone, PartialEq)]
pub struct Settings {
    pub http: Http,
    pub db: Db,
}

#[derive(Debug, Deserialize, Clone, PartialEq)]
pub struct Http {
    pub port: u16,
    #[serde(default = "workers")]
    pub workers: usize,
}

fn workers() -> usize {
    4
}

#[derive(Debug, Deserialize, Clone, PartialEq)]
pub struct Db {
    pub url: String,
}

impl Validate for Settings {
    fn validate(&self, checks: &mut Checks) {
        checks.check("http.port", self.http.port >= 1024, "must be 1024 or above (a port a service may bind)");
        checks.check("db.url", self.db.url.contains("://"), "must be a URL with a scheme, `postgres://..`");
    }
}

/// How many servers were built.
static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// Takes a part as it was when the server was created.
#[injectable(init = Self::count)]
pub struct Server {
    http: Arc<Http>,
}

impl Server {
    async fn count(&mut self) {
        SERVERS.fetch_add(1, SeqCst);
    }
}

/// Follows the database settings.
#[injectable]
pub struct Pool {
    db: Live<Db>,
}

container! {
    pub struct App {
        config Settings { http: Http, db: Db };
        singleton Server;
        singleton Pool;
    }
}

const GOOD: &str = "[http]\nport = 8080\n[db]\nurl = \"postgres://db/notes\"\n";

fn file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("injectq-config-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("app.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn the_configuration_and_its_parts_are_services() {
    let settings = Config::new().toml_str(GOOD).load::<Settings>().unwrap();
    let app = App::new(settings);
    let whole = app.resolve::<Arc<Settings>>().await.unwrap();
    assert_eq!(whole.http.port, 8080);
    assert_eq!(whole.http.workers, 4, "a serde default");
    let http = app.resolve::<Arc<Http>>().await.unwrap();
    assert_eq!(*http, whole.http);
    assert_eq!(app.resolve::<Arc<Server>>().await.unwrap().http.port, 8080);
    assert_eq!(app.resolve::<Live<Db>>().await.unwrap().get().url, "postgres://db/notes");
}

#[test]
fn a_value_of_the_wrong_type_names_the_key_and_the_file() {
    let path = file("type", "[http]\nport = \"eighty\"\n[db]\nurl = \"postgres://db\"\n");
    let error = Config::new().toml_file(&path).load::<Settings>().expect_err("a port is a number");
    let message = error.to_string();
    assert!(matches!(error, ConfigError::Load(_)), "{message}");
    assert!(message.contains("http.port"), "the key: {message}");
    assert!(message.contains("app.toml"), "the source: {message}");
}

#[test]
fn validation_names_every_key_at_fault_and_its_source() {
    let path = file("invalid", "[http]\nport = 80\n[db]\nurl = \"notes.db\"\n");
    let error = Config::new().toml_file(&path).load::<Settings>().expect_err("two values are refused");
    let ConfigError::Invalid(invalid) = &error else { panic!("{error}") };
    let keys: Vec<_> = invalid.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["http.port", "db.url"]);
    let message = error.to_string();
    assert!(message.contains("`http.port` must be 1024 or above"), "{message}");
    assert!(message.contains("app.toml"), "the source: {message}");
}

#[test]
#[allow(clippy::result_large_err)] // `Jail`'s closure returns figment's error, as figment defines it
fn the_environment_overrides_the_file_and_is_named_as_the_source() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("app.toml", GOOD)?;
        jail.set_env("NOTES_HTTP__PORT", "9090");
        let settings = Config::new().toml_file("app.toml").env("NOTES_").load::<Settings>().unwrap();
        assert_eq!(settings.current().http.port, 9090);

        jail.set_env("NOTES_HTTP__PORT", "99");
        let error = Config::new().toml_file("app.toml").env("NOTES_").load::<Settings>().expect_err("too low");
        let message = error.to_string();
        assert!(message.contains("`http.port`") && message.contains("NOTES_"), "{message}");
        Ok(())
    });
}

/// A reload: `Live` values see the new value (and a waiting one wakes), the singletons keep the
/// value they were built with, and a reload that does not validate changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_reaches_live_values_and_leaves_singletons_as_they_were() {
    let path = file("reload", GOOD);
    let settings = Config::new().toml_file(&path).load::<Settings>().unwrap();
    let app = App::new(settings.clone());
    let server = app.resolve::<Arc<Server>>().await.unwrap();
    let pool = app.resolve::<Arc<Pool>>().await.unwrap();
    let mut waiting = app.resolve::<Live<Settings>>().await.unwrap();
    let waiter = tokio::spawn(async move { waiting.changed().await.map(|s| s.db.url.clone()) });

    std::fs::write(&path, GOOD.replace("notes", "notes2").replace("8080", "8081")).unwrap();
    settings.reload().unwrap();
    assert_eq!(bounded("the waiter", waiter).await.unwrap().as_deref(), Some("postgres://db/notes2"));
    assert_eq!(pool.db.get().url, "postgres://db/notes2", "a live part follows");
    assert_eq!(server.http.port, 8080, "a singleton keeps what it was given");
    assert_eq!(app.resolve::<Arc<Http>>().await.unwrap().port, 8080, "and so does the container's singleton");
    assert_eq!(SERVERS.load(SeqCst), 1, "nothing is rebuilt");

    std::fs::write(&path, GOOD.replace("8080", "80")).unwrap();
    let error = settings.reload().expect_err("a port below 1024");
    assert!(error.to_string().contains("http.port"), "{error}");
    assert_eq!(pool.db.get().url, "postgres://db/notes2", "a failed reload publishes nothing");
}

/// 16 tasks read a live value while another reloads 50 times: each read is a whole value, one
/// that was published, and the last read after the reloads sees the last one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_during_reloads_see_whole_published_values() {
    let path = file("race", "[http]\nport = 8000\n[db]\nurl = \"postgres://db/0\"\n");
    let settings = Config::new().toml_file(&path).load::<Settings>().unwrap();
    let app = App::new(settings.clone());
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let live = app.resolve::<Live<Settings>>().await.unwrap();
                for _ in 0..200 {
                    let now = live.get();
                    // the file is written with port and url in step: a torn value would differ
                    let n = now.http.port - 8000;
                    assert_eq!(now.db.url, format!("postgres://db/{n}"), "a whole value");
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    for n in 1..=50u16 {
        std::fs::write(&path, format!("[http]\nport = {}\n[db]\nurl = \"postgres://db/{n}\"\n", 8000 + n)).unwrap();
        settings.reload().unwrap();
        tokio::task::yield_now().await;
    }
    for reader in readers {
        bounded("a reader", reader).await.unwrap();
    }
    assert_eq!(app.resolve::<Live<Http>>().await.unwrap().get().port, 8050);
}
