use injectq::module;

module! {
    pub persistence {
        singelton crate::Pool;
    }
}

fn main() {}
