//! Named tokens: typed names for values, several of one Rust type side by side.

use std::sync::Arc;

use injectq::{Tagged, container, factory, inject, injectable, token};

token! {
    /// The payment provider's key.
    pub ApiKey: String;
    pub DatabaseUrl: String;
    pub Retries: u32;
    pub Region: String;
}

#[factory]
fn region(url: Tagged<DatabaseUrl>) -> String {
    if url.contains("eu") { "eu-west".into() } else { "us-east".into() }
}

#[injectable]
pub struct Client {
    #[inject(token = ApiKey)]
    key: String,
    #[inject(token = DatabaseUrl)]
    url: String,
    #[inject(token = Retries)]
    retries: u32,
    #[inject(token = Region)]
    region: String,
}

container! {
    pub struct App {
        token ApiKey;
        token DatabaseUrl;
        token Retries;
        token Region = region;
        singleton Client;
    }
}

#[inject]
async fn describe(#[inject(token = ApiKey)] key: String, #[inject] client: Arc<Client>) -> String {
    format!("{key} {} {}", client.retries, client.region)
}

#[tokio::test]
async fn values_of_one_type_stay_apart_under_their_tokens() {
    let app = App::new(ApiKey("sk_live".into()), DatabaseUrl("pg://eu-1/db".into()), Retries(3));
    let client = app.resolve::<Arc<Client>>().await.unwrap();
    assert_eq!((client.key.as_str(), client.url.as_str(), client.retries), ("sk_live", "pg://eu-1/db", 3));
    assert_eq!(client.region, "eu-west", "a token's factory gets other tokens injected");
    let key: Tagged<ApiKey> = app.create_scope().resolve().await.unwrap();
    assert_eq!(key.into_inner(), "sk_live");
    assert_eq!(describe(&app,).await.unwrap(), "sk_live 3 eu-west");
}
