// Two tokens of one value type (two `String`s) handed to `App::new` in the wrong order.
use injectq::{container, token};

token! {
    pub ApiKey: String;
    pub DatabaseUrl: String;
}

container! {
    pub struct App {
        token ApiKey;
        token DatabaseUrl;
    }
}

fn main() {
    let key = ApiKey("sk_live".to_owned());
    let url = DatabaseUrl("postgres://localhost/app".to_owned());
    let _ = App::new(url, key);
}
