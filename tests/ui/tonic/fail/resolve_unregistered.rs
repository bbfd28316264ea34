// A gRPC handler resolves from its call's scope a service that the container does not provide.
use std::sync::Arc;

use injectq::container;
use injectq::tonic::RequestScope;
use tonic::{Request, Response, Status};

pub struct Mailer;

container! {
    pub struct App {}
}

async fn send(request: Request<String>) -> Result<Response<()>, Status> {
    let _mailer: Arc<Mailer> = request.scope::<App>()?.resolve().await?;
    Ok(Response::new(()))
}

fn main() {
    let _ = send;
}
