#![doc = include_str!("../../README.md")]

mod error;
mod graph;
mod provide;
mod root;

#[doc(hidden)]
pub mod __private;

pub use error::{BoxError, Error, ErrorKind, Result};
pub use provide::{Factory, Injectable, Provide};
pub use injectq_macros::{container, factory, inject, injectable};
