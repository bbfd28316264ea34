//! Typed configuration: a struct loaded with serde from files and the environment, validated
//! before the container exists, injected whole or in parts, and, for the services that ask,
//! followed live across reloads.
//!
//! ```
//! use std::sync::Arc;
//! use injectq::config::{Checks, Config, Live, Validate};
//! use injectq::{container, injectable};
//! use serde::Deserialize;
//!
//! #[derive(Deserialize, Clone)]
//! pub struct Settings {
//!     pub http: Http,
//! }
//!
//! #[derive(Deserialize, Clone)]
//! pub struct Http {
//!     pub port: u16,
//! }
//!
//! impl Validate for Settings {
//!     fn validate(&self, checks: &mut Checks) {
//!         checks.check("http.port", self.http.port >= 1024, "must be 1024 or above");
//!     }
//! }
//!
//! #[injectable]
//! pub struct Server {
//!     http: Arc<Http>,       // the value when the server was created
//!     limits: Live<Settings>, // the value now
//! }
//!
//! container! {
//!     pub struct App {
//!         config Settings { http: Http };
//!         singleton Server;
//!     }
//! }
//!
//! # fn main() -> Result<(), injectq::config::ConfigError> {
//! let settings = Config::new().toml_str("[http]\nport = 8080").env("APP_").load::<Settings>()?;
//! let app = App::new(settings.clone());
//! // later: read the sources again; `Live` values follow, singletons keep what they were given
//! settings.reload()?;
//! # Ok(())
//! # }
//! ```
//!
//! **At start**: [`Config::load`] reads every source, deserializes and runs [`Validate`] before
//! the container is created, so no service is ever built from a configuration that does not
//! load. Its [`ConfigError`] names each key at fault and where its value came from (the file, or
//! the environment variable).
//!
//! **Injected**: `config Settings;` in `container!` takes the loaded [`Configured<Settings>`] as
//! the constructor's argument (in declaration order, like a `value`) and provides
//! `Arc<Settings>`; `config Settings { http: Http, db: Db };` also provides each listed field as
//! a service of its own (`Arc<Http>`, the field cloned). Each is a singleton: the value when it
//! was first resolved.
//!
//! **Live**: [`Live<Settings>`] (or `Live<Http>`, for a listed field) reads the current value
//! every time ([`Live::get`]) and can wait for the next reload ([`Live::changed`]).
//! [`Configured::reload`] reads the sources again, validates, and only then publishes: a reload
//! that fails changes nothing and returns the error.
//!
//! **Reload and singletons**: a singleton (or any service) that took `Arc<Settings>` or
//! `Arc<Http>` keeps the value it was given: a reload neither rebuilds it nor changes what it
//! holds, and the container keeps handing out that first value as `Arc<Settings>`. A service that
//! must follow changes asks for `Live<T>` instead and reads it where it uses it.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, Mutex};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::de::DeserializeOwned;
use tokio::sync::watch;

use crate::sync::lock;

/// Where a configuration is read from, in order: each source overrides the keys of those before
/// it. Built from files and the environment; loaded into a typed struct by [`load`](Self::load),
/// and read again, from the same sources, by [`Configured::reload`].
#[derive(Clone, Default)]
pub struct Config {
    /// each source, as a step that adds it (a file is read when the step runs: at each load)
    sources: Vec<Arc<dyn Fn(Figment) -> Figment + Send + Sync>>,
}

impl Config {
    /// No sources yet.
    pub fn new() -> Self {
        Config::default()
    }

    fn then(mut self, step: impl Fn(Figment) -> Figment + Send + Sync + 'static) -> Self {
        self.sources.push(Arc::new(step));
        self
    }

    /// A TOML file; a file that does not exist adds nothing (a default configuration file that
    /// a deployment may leave out).
    #[must_use]
    pub fn toml_file(self, path: impl AsRef<std::path::Path>) -> Self {
        let path = path.as_ref().to_owned();
        self.then(move |figment| figment.merge(Toml::file(&path)))
    }

    /// TOML text (defaults written in the program, or a test's configuration).
    #[must_use]
    pub fn toml_str(self, toml: &str) -> Self {
        let toml = toml.to_owned();
        self.then(move |figment| figment.merge(Toml::string(&toml)))
    }

    /// Environment variables that start with `prefix` (`APP_`), the prefix taken off and lowered:
    /// `APP_HTTP__PORT` is `http.port` (a double underscore separates the levels).
    #[must_use]
    pub fn env(self, prefix: &str) -> Self {
        let prefix = prefix.to_owned();
        self.then(move |figment| figment.merge(Env::prefixed(&prefix).split("__")))
    }

    /// Any other figment provider (JSON, YAML, a secret store), for what the methods above do not
    /// cover; it is asked for its data at each load.
    #[must_use]
    pub fn merge(self, provider: impl figment::Provider + Clone + Send + Sync + 'static) -> Self {
        self.then(move |figment| figment.merge(provider.clone()))
    }

    /// Reads the sources into a `T` and validates it. The error names every key at fault and its
    /// source; nothing is kept when it fails.
    pub fn load<T: DeserializeOwned + Validate + Send + Sync + 'static>(&self) -> Result<Configured<T>, ConfigError> {
        let value = self.extract::<T>()?;
        let (sender, _) = watch::channel(Snapshot { version: 0, value: Arc::new(value) });
        Ok(Configured { shared: Arc::new(Shared { config: self.clone(), sender }), _type: std::marker::PhantomData })
    }

    /// The sources, read now.
    fn figment(&self) -> Figment {
        self.sources.iter().fold(Figment::new(), |figment, step| step(figment))
    }

    fn extract<T: DeserializeOwned + Validate>(&self) -> Result<T, ConfigError> {
        let figment = self.figment();
        let value: T = figment.extract().map_err(|e| ConfigError::Load(Box::new(e)))?;
        let mut checks = Checks { failures: Vec::new() };
        value.validate(&mut checks);
        if checks.failures.is_empty() {
            return Ok(value);
        }
        let invalid = checks
            .failures
            .into_iter()
            .map(|(key, message)| {
                let source = figment.find_metadata(&key).map(|m| match &m.source {
                    Some(source) => format!("{} `{source}`", m.name),
                    None => m.name.to_string(),
                });
                Invalid { key, message, source }
            })
            .collect();
        Err(ConfigError::Invalid(invalid))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config").finish_non_exhaustive()
    }
}

/// What a configuration checks of itself once it is read, beyond what its types say (a port in
/// range, a URL with a scheme, two settings that go together). The default accepts every value:
/// `impl Validate for Settings {}`.
#[diagnostic::on_unimplemented(
    message = "[injectq::config-validate] `{Self}` is loaded as a configuration, but does not say how it is checked: it does not implement `Validate`",
    label = "not `Validate`",
    note = "check its values in `impl injectq::config::Validate for {Self} {{ fn validate(&self, checks: &mut Checks) {{ .. }} }}`, or accept every value: `impl injectq::config::Validate for {Self} {{}}`"
)]
pub trait Validate {
    /// Records each problem with its key (`"http.port"`) in `checks`.
    fn validate(&self, checks: &mut Checks) {
        let _ = checks;
    }
}

/// The problems [`Validate::validate`] found, by key.
#[derive(Debug)]
pub struct Checks {
    failures: Vec<(String, String)>,
}

impl Checks {
    /// Records `message` for `key` unless `ok`.
    pub fn check(&mut self, key: &str, ok: bool, message: impl Into<String>) {
        if !ok {
            self.failures.push((key.to_owned(), message.into()));
        }
    }

    /// Records `message` for `key`.
    pub fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.failures.push((key.to_owned(), message.into()));
    }
}

/// A configuration that did not load: a value that did not deserialize (figment's error names
/// the key, what was expected and the source), or values that [`Validate`] refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// Reading or deserializing failed.
    Load(Box<figment::Error>),
    /// Validation failed: every key at fault.
    Invalid(Vec<Invalid>),
}

/// One key that validation refused.
#[derive(Debug, Clone)]
pub struct Invalid {
    /// The key, `http.port`.
    pub key: String,
    /// What is wrong with its value.
    pub message: String,
    /// Where its value came from (`TOML file `app.toml``, `` `APP_` environment variable(s)``),
    /// if it came from a source rather than a default.
    pub source: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Load(error) => {
                write!(f, "the configuration did not load: ")?;
                // each of figment's errors names its key and source
                for (i, error) in (**error).clone().into_iter().enumerate() {
                    write!(f, "{}{error}", if i == 0 { "" } else { "; " })?;
                }
                Ok(())
            }
            ConfigError::Invalid(invalid) => {
                write!(f, "the configuration is invalid: ")?;
                for (i, Invalid { key, message, source }) in invalid.iter().enumerate() {
                    write!(f, "{}`{key}` {message}", if i == 0 { "" } else { "; " })?;
                    match source {
                        Some(source) => write!(f, " (from {source})")?,
                        None => write!(f, " (a default: no source sets it)")?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// One published value and its number (0 at load, one more per reload).
struct Snapshot {
    version: u64,
    value: Arc<dyn Any + Send + Sync>,
}

struct Shared {
    config: Config,
    sender: watch::Sender<Snapshot>,
}

/// A loaded configuration of type `T`: its current value, and how to read its sources again.
/// Cloning it shares it (keep a clone to call [`reload`](Self::reload)); `container!`'s `config T;`
/// takes one as the constructor's argument.
pub struct Configured<T> {
    shared: Arc<Shared>,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Configured<T> {
    fn clone(&self) -> Self {
        Configured { shared: Arc::clone(&self.shared), _type: std::marker::PhantomData }
    }
}

impl<T: DeserializeOwned + Validate + Send + Sync + 'static> Configured<T> {
    /// Reads the sources again, validates, and publishes the new value to every [`Live`]. A
    /// reload that fails publishes nothing: the error says why, and the value stays. Services
    /// that hold an `Arc<T>` (or a part of it) keep the one they were given.
    pub fn reload(&self) -> Result<(), ConfigError> {
        let value = self.shared.config.extract::<T>()?;
        self.shared.sender.send_modify(|snapshot| {
            snapshot.version += 1;
            snapshot.value = Arc::new(value);
        });
        Ok(())
    }
}

impl<T: Send + Sync + 'static> Configured<T> {
    /// The current value.
    pub fn current(&self) -> Arc<T> {
        downcast(&self.shared.sender.borrow().value)
    }

    /// The whole configuration, live: the published value itself, not a copy.
    pub fn live(&self) -> Live<T> {
        Live::new(self.shared.sender.subscribe(), Box::new(downcast::<T>))
    }

    /// A part of the configuration (a field), live: `pick` copies it out of each published value,
    /// once per value.
    pub fn live_part<P: Send + Sync + 'static>(&self, pick: fn(&T) -> P) -> Live<P> {
        Live::new(self.shared.sender.subscribe(), Box::new(move |value| Arc::new(pick(&downcast::<T>(value)))))
    }

    /// A part of the current value: what `config T { field: P }` injects as `Arc<P>`.
    pub fn part<P>(&self, pick: fn(&T) -> P) -> P {
        pick(&self.current())
    }
}

impl<T> fmt::Debug for Configured<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Configured").field("version", &self.shared.sender.borrow().version).finish_non_exhaustive()
    }
}

fn downcast<T: Send + Sync + 'static>(value: &Arc<dyn Any + Send + Sync>) -> Arc<T> {
    Arc::clone(value).downcast::<T>().unwrap_or_else(|_| unreachable!("a configuration of its own type"))
}

type Pick<P> = Box<dyn Fn(&Arc<dyn Any + Send + Sync>) -> Arc<P> + Send + Sync>;

/// A configuration value (the whole, or a part) that follows reloads: [`get`](Self::get) reads
/// the current one, [`changed`](Self::changed) waits for the next. Asked for as `Live<Settings>`
/// (or `Live<Http>`) from a container that declares `config Settings { http: Http };`.
///
/// Shared between tasks through clones of the container's configuration, not of this value: each
/// `Live` has its own view of what it has seen. `get` never waits; `changed` is cancel-safe (a
/// dropped wait misses nothing: the next call sees the reload). A panic in a reload cannot leave
/// a half-published value: a value is validated, then published whole.
pub struct Live<P> {
    receiver: Mutex<watch::Receiver<Snapshot>>,
    pick: Pick<P>,
    /// the part of the last version read, so that reading twice does not pick it twice
    cache: Mutex<Option<(u64, Arc<P>)>>,
}

impl<P: Send + Sync + 'static> Live<P> {
    fn new(receiver: watch::Receiver<Snapshot>, pick: Pick<P>) -> Self {
        Live { receiver: Mutex::new(receiver), pick, cache: Mutex::new(None) }
    }

    /// The current value. Never waits for a reload; the part is copied out of a new value once
    /// (the copy, a field's `Clone`, runs with no lock held).
    pub fn get(&self) -> Arc<P> {
        let (version, value) = {
            let receiver = lock(&self.receiver);
            let snapshot = receiver.borrow();
            (snapshot.version, Arc::clone(&snapshot.value))
        };
        if let Some((seen, part)) = &*lock(&self.cache)
            && *seen == version
        {
            return Arc::clone(part);
        }
        let part = (self.pick)(&value);
        *lock(&self.cache) = Some((version, Arc::clone(&part)));
        part
    }

    /// Waits for the next reload after the last one this `Live` saw, then returns the new value.
    /// `None` once the configuration is gone (its container and every handle dropped).
    /// Cancel-safe: dropped, it misses nothing.
    pub async fn changed(&mut self) -> Option<Arc<P>> {
        let receiver = self.receiver.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        receiver.changed().await.ok()?;
        Some(self.get())
    }
}

impl<P> fmt::Debug for Live<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Live").finish_non_exhaustive()
    }
}

// What `container!` writes for `config T { field: P };`: the registrations of `T`, each field
// and their `Live` values, built from the `Configured<T>` the container was given.

use crate::provide::{Produces, Recipe};

/// Proves, once per `config T;`, that `T` is loaded and validated: the one place a type that
/// does not is reported.
#[doc(hidden)]
pub const fn loadable<T: DeserializeOwned + Validate>() {}

/// Picks a field out of a configuration (written by `container!` per listed field).
#[doc(hidden)]
pub trait ConfigPick<T>: 'static {
    /// The field's type.
    type Part: Send + Sync + 'static;
    /// A copy of the field.
    fn pick(whole: &T) -> Self::Part;
}

/// The recipe of `config T;`'s `T`: the current value, copied.
#[doc(hidden)]
pub struct ConfigWhole<T>(std::marker::PhantomData<fn() -> T>);
/// The recipe of a listed field `P` of `config T { field: P }`.
#[doc(hidden)]
pub struct ConfigPart<T, K>(std::marker::PhantomData<fn() -> (T, K)>);
/// The recipe of `Live<T>`.
#[doc(hidden)]
pub struct ConfigLive<T>(std::marker::PhantomData<fn() -> T>);
/// The recipe of `Live<P>` for a listed field.
#[doc(hidden)]
pub struct ConfigLivePart<T, K>(std::marker::PhantomData<fn() -> (T, K)>);

macro_rules! config_recipe {
    ($recipe:ident<$($p:ident),+> where [$($bound:tt)*], $output:ty, |$configured:ident| $make:expr) => {
        impl<$($p),+> crate::provide::Factory for $recipe<$($p),+>
        where
            $recipe<$($p),+>: Produces,
        {
            type Recipe = Self;
        }

        impl<C, $($p),+> Recipe<C> for $recipe<$($p),+>
        where
            C: crate::Provide<Arc<Configured<T>>> + Sync,
            T: Send + Sync + 'static,
            $($bound)*
        {
            const DEPS: &'static [usize] = &[<C as crate::Provide<Arc<Configured<T>>>>::NODE];

            #[allow(clippy::manual_async_fn)]
            fn build(c: &C) -> impl std::future::Future<Output = crate::Result<$output>> + Send {
                async move {
                    let $configured: Arc<Configured<T>> = c.provide().await?;
                    Ok($make)
                }
            }
        }
    };
}

impl<T: Clone + Send + 'static> Produces for ConfigWhole<T> {
    type Output = T;
}
impl<T: 'static, K: ConfigPick<T>> Produces for ConfigPart<T, K> {
    type Output = K::Part;
}
impl<T: Send + Sync + 'static> Produces for ConfigLive<T> {
    type Output = Live<T>;
}
impl<T: 'static, K: ConfigPick<T>> Produces for ConfigLivePart<T, K> {
    type Output = Live<K::Part>;
}

config_recipe!(ConfigWhole<T> where [T: Clone], T, |configured| T::clone(&configured.current()));
config_recipe!(ConfigPart<T, K> where [K: ConfigPick<T>], K::Part, |configured| configured.part(K::pick));
config_recipe!(ConfigLive<T> where [], Live<T>, |configured| configured.live());
config_recipe!(ConfigLivePart<T, K> where [K: ConfigPick<T>], Live<K::Part>, |configured| configured.live_part(K::pick));
