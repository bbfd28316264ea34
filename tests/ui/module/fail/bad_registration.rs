// A misspelled registration keyword inside `module!`.
use injectq::module;

module! {
    pub persistence {
        singelton crate::Pool;
    }
}

fn main() {}
