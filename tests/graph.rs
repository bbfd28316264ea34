//! The dependency graph of a container, described and rendered as Mermaid and DOT.

use std::sync::Arc;

use injectq::{Lazy, Lifetime, Service, container, injectable};

pub struct Config;

// the fields are there for their types: this test reads the graph, not the services
#[allow(dead_code)]
#[injectable]
pub struct Pool {
    config: Arc<Config>,
}

#[injectable]
pub struct RequestContext;

#[allow(dead_code)]
#[injectable]
pub struct UserService {
    pool: Arc<Pool>,
    request: Arc<RequestContext>,
    later: Lazy<Pool>, // not a construction edge
}

container! {
    pub struct App {
        value Config;
        singleton Pool;
        scoped RequestContext;
        transient UserService;
    }
}

#[test]
fn the_graph_lists_registrations_lifetimes_and_edges() {
    let graph = App::graph();
    assert_eq!(graph.container(), "App");
    let services: Vec<Service> = graph.services().collect();
    assert_eq!(
        services[3],
        Service { name: "UserService", lifetime: Lifetime::Transient, dependencies: vec!["Pool", "RequestContext"] }
    );
    assert_eq!(services[1].dependencies, ["Config"]);
    assert_eq!(services.len(), 4);
}

#[test]
fn mermaid_and_dot() {
    let graph = App::graph();
    assert_eq!(
        graph.to_mermaid(),
        "flowchart LR\n    n0[\"Config<br/><i>value</i>\"]\n    n1[\"Pool<br/><i>singleton</i>\"]\n    n2[\"RequestContext<br/><i>scoped</i>\"]\n    n3[\"UserService<br/><i>transient</i>\"]\n    n1 --> n0\n    n3 --> n1\n    n3 --> n2\n"
    );
    assert_eq!(
        graph.to_dot(),
        "digraph \"App\" {\n    rankdir=LR;\n    node [shape=box];\n    n0 [label=\"Config\\n(value)\"];\n    n1 [label=\"Pool\\n(singleton)\"];\n    n2 [label=\"RequestContext\\n(scoped)\"];\n    n3 [label=\"UserService\\n(transient)\"];\n    n1 -> n0;\n    n3 -> n1;\n    n3 -> n2;\n}\n"
    );
}
