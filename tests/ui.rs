//! Compile-fail and compile-pass cases for every macro: `tests/ui/<macro>/{fail,pass}/*.rs`.
//! Each `.stderr` was read by a person before it was kept; regenerate with `TRYBUILD=overwrite`
//! and read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/*/pass/*.rs");
    t.compile_fail("tests/ui/*/fail/*.rs");
}
