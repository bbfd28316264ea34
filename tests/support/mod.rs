//! Shared by the behaviour tests (`mod support;`).

/// An error with a fixed message, for factories and init hooks that fail on purpose.
#[derive(Debug)]
pub struct Failure(pub &'static str);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Failure {}
