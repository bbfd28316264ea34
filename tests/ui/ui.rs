//! Compile-fail and compile-pass cases for every macro: `tests/ui/<macro>/{fail,pass}/*.rs`, in a
//! package of their own (`injectq-ui`), so that trybuild builds them against only what they use.
//! Each `.stderr` was read by a person before it was kept; regenerate with `TRYBUILD=overwrite`
//! and read the diff.

/// The mistakes, as `cargo check` (and an editor) reports them. They run in their own suite:
/// trybuild checks a suite with only failing cases, and builds one with passing cases, which adds
/// rustc's own E0733 (in an order that varies) after the readable error of a cycle through
/// transients.
#[test]
fn ui_fail() {
    trybuild::TestCases::new().compile_fail("*/fail/*.rs");
}

/// Programs that must build and run.
#[test]
fn ui_pass() {
    trybuild::TestCases::new().pass("*/pass/*.rs");
}
