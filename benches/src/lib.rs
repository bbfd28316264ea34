//! The object graphs that the benchmarks build, each three ways: hand-written, with injectq, and
//! with the peers that can express it. Shared by `benches/scenarios.rs` and `src/bin/sizes.rs`.

pub mod graphs;
