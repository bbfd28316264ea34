//! `injectq-examples`: the workspace's root package. It holds no library code: it owns the
//! behaviour tests in `tests/` and the runnable programs in `examples/`.
