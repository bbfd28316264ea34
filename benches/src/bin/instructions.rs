//! Runs one scenario `n` times, for `benches/instructions.py`, which runs this under callgrind at
//! two counts and prints the instructions of one more run: a figure that does not move between
//! runs, unlike a time. `instructions <scenario> <n>`; the scenarios are those of the criterion
//! suite, and `cold_chain50` (a new container creating a chain of 50 singletons).
// the chains of 50 nest 50 futures, which rustc lays out with a query depth of about 10 per
// level (see the library)
#![recursion_limit = "1024"]
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;

use injectq_benches::graphs::hand_chain::HandChain50;
use injectq_benches::graphs::singleton_chain::{S00, SChain50};
use injectq_benches::graphs::{
    Audit, Connection, DecoratedApp, DisposingScopeApp, First, GenericApp, HandRoot, HandScope, HandSharedScope,
    NestedScopeApp, OuterScopeApp, Root, ScopeApp, Second, Session, SingletonApp, Svc, Transaction, TransientApp,
    Typed, WrittenOutApp, hand_root,
};
use injectq_benches::{poll_once, web};

fn main() {
    let mut args = std::env::args().skip(1);
    let scenario = args.next().expect("a scenario");
    let n: usize = args.next().and_then(|n| n.parse().ok()).expect("a count");
    if plain(&scenario, n) {
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        match scenario.as_str() {
            "singleton" => {
                let app = SingletonApp::new();
                for _ in 0..n {
                    black_box(app.resolve::<Arc<Svc>>().await.unwrap());
                }
            }
            // the same singleton, decorated: its slot holds the decorated value
            "decorated_singleton" => {
                let app = DecoratedApp::new();
                for _ in 0..n {
                    black_box(app.resolve::<Arc<Svc>>().await.unwrap());
                }
            }
            // a generic singleton (its slot found by type) against the same type written out
            "generic_singleton" => {
                let app = GenericApp::new();
                app.resolve::<Arc<Typed<Second>>>().await.unwrap();
                for _ in 0..n {
                    black_box(app.resolve::<Arc<Typed<First>>>().await.unwrap());
                }
            }
            "written_out_singleton" => {
                let app = WrittenOutApp::new();
                app.resolve::<Arc<Typed<Second>>>().await.unwrap();
                for _ in 0..n {
                    black_box(app.resolve::<Arc<Typed<First>>>().await.unwrap());
                }
            }
            "transient16" => {
                let app = TransientApp::new();
                for _ in 0..n {
                    black_box(app.resolve::<Root>().await.unwrap());
                }
            }
            "scope3" => {
                let app = ScopeApp::new();
                for _ in 0..n {
                    let scope = app.create_scope();
                    black_box(scope.resolve::<Arc<Session>>().await.unwrap());
                    black_box(scope.resolve::<Arc<Transaction>>().await.unwrap());
                    black_box(scope.resolve::<Arc<Audit>>().await.unwrap());
                    scope.dispose().await.unwrap();
                }
            }
            // the scope cycle's parts, one at a time (issue 28): the floor, three `Arc`s
            "hand_scope3" => {
                for _ in 0..n {
                    black_box(HandScope::open());
                }
            }
            // by hand with a scope's sharing: the state behind an `Arc`, each service in a `OnceCell`
            "hand_shared_scope3" => {
                let root = Arc::new(HandRoot);
                for _ in 0..n {
                    let scope = HandSharedScope::open(&root);
                    black_box(scope.session().await);
                    black_box(scope.transaction().await);
                    black_box(scope.audit().await);
                }
            }
            // a scope opened and disposed, nothing resolved: the scope itself
            "scope0" => {
                let app = ScopeApp::new();
                for _ in 0..n {
                    app.create_scope().dispose().await.unwrap();
                }
            }
            // one service without a disposer, and one with
            "scope1" => {
                let app = ScopeApp::new();
                for _ in 0..n {
                    let scope = app.create_scope();
                    black_box(scope.resolve::<Arc<Session>>().await.unwrap());
                    scope.dispose().await.unwrap();
                }
            }
            "scope1_disposer" => {
                let app = DisposingScopeApp::new();
                for _ in 0..n {
                    let scope = app.create_scope();
                    black_box(scope.resolve::<Arc<Connection>>().await.unwrap());
                    scope.dispose().await.unwrap();
                }
            }
            // by hand: the service, its disposal awaited
            "hand_scope1_disposer" => {
                for _ in 0..n {
                    let connection = black_box(Arc::new(Connection { id: 4 }));
                    injectq::AsyncDispose::dispose(&*connection).await.unwrap();
                }
            }
            // a request through axum's router, in process (no network): the server's own work,
            // for each route of src/web.rs (issue 28)
            "axum_bare" | "axum_hand" | "axum_injectq" | "axum_injectq_before" => {
                use tower::ServiceExt;
                let app = web::WebApp::new();
                let name = scenario.trim_start_matches("axum_");
                let (_, router) = web::routers(&app).into_iter().find(|(n, _)| *n == name).expect("a route");
                for _ in 0..n {
                    let request = http::Request::get("/").body(axum::body::Body::empty()).unwrap();
                    let response = router.clone().oneshot(request).await.unwrap();
                    black_box(axum::body::to_bytes(response.into_body(), 64).await.unwrap());
                }
            }
            // a unary gRPC call through tonic's service, in process
            "tonic_bare" | "tonic_hand" | "tonic_injectq" => {
                use http_body_util::BodyExt;
                use tower::ServiceExt;
                let app = web::WebApp::new();
                let body = web::ask_body(7);
                let bare = web::BenchServer::new(web::Handler::Bare);
                let hand = web::BenchServer::new(web::Handler::Hand(web::Hand::new()));
                let scoped =
                    injectq::tonic::ScopeLayer::new(app.clone()).around(web::BenchServer::new(web::Handler::Injectq));
                for _ in 0..n {
                    let request = web::ask_request(body.clone());
                    let response = match scenario.as_str() {
                        "tonic_bare" => bare.clone().oneshot(request).await,
                        "tonic_hand" => hand.clone().oneshot(request).await,
                        _ => scoped.clone().oneshot(request).await,
                    };
                    black_box(response.unwrap().into_body().collect().await.unwrap());
                }
            }
            // the same, in a scope of a nested kind, opened inside an open outer scope
            "nested_scope3" => {
                let app = NestedScopeApp::new();
                let outer = app.create_outer_scope();
                for _ in 0..n {
                    let scope = outer.create_inner_scope();
                    black_box(scope.resolve::<Arc<Session>>().await.unwrap());
                    black_box(scope.resolve::<Arc<Transaction>>().await.unwrap());
                    black_box(scope.resolve::<Arc<Audit>>().await.unwrap());
                    scope.dispose().await.unwrap();
                }
            }
            // an inner scope that resolves its outer scope's three services (created once)
            "nested_outer3" => {
                let app = OuterScopeApp::new();
                let outer = app.create_holding_scope();
                for _ in 0..n {
                    let scope = outer.create_asking_scope();
                    black_box(scope.resolve::<Arc<Session>>().await.unwrap());
                    black_box(scope.resolve::<Arc<Transaction>>().await.unwrap());
                    black_box(scope.resolve::<Arc<Audit>>().await.unwrap());
                    scope.dispose().await.unwrap();
                }
            }
            "cold_chain50" => {
                for _ in 0..n {
                    let app = SChain50::new();
                    black_box(app.resolve::<Arc<S00>>().await.unwrap());
                }
            }
            // `get`, and the plainest hand-written code handing out the same: an `Arc` clone,
            // the struct literals
            "singleton_get" => {
                let app = SingletonApp::new();
                app.resolve::<Arc<Svc>>().await.unwrap();
                for _ in 0..n {
                    black_box(app.get::<Arc<Svc>>().unwrap());
                }
            }
            "hand_singleton" => {
                let svc = Arc::new(Svc { n: 7 });
                for _ in 0..n {
                    black_box(Arc::clone(black_box(&svc)));
                }
            }
            "transient16_get" => {
                let app = TransientApp::new();
                for _ in 0..n {
                    black_box(app.get::<Root>().unwrap());
                }
            }
            "hand_transient16" => {
                for _ in 0..n {
                    black_box(hand_root());
                }
            }
            "hand_cold_chain50" => {
                for _ in 0..n {
                    let chain = HandChain50::default();
                    black_box(chain.s00().await);
                }
            }
            other => panic!("no scenario `{other}`"),
        }
    });
}

/// The plain harness, with no executor around it (as in the criterion suite): `resolve` polled
/// once, and a hand-written `async` block that returns the same value or an error, polled the
/// same way. `false` if `scenario` is not one of them.
fn plain(scenario: &str, n: usize) -> bool {
    match scenario {
        "singleton_poll_once" => {
            let app = SingletonApp::new();
            poll_once(app.resolve::<Arc<Svc>>()).unwrap();
            for _ in 0..n {
                black_box(poll_once(app.resolve::<Arc<Svc>>()).unwrap());
            }
        }
        "hand_async_singleton" => {
            let svc = Arc::new(Svc { n: 7 });
            let fails = false;
            for _ in 0..n {
                let got = poll_once(async {
                    if black_box(fails) { Err(injectq::Error::factory("Svc", "never")) } else { Ok(Arc::clone(&svc)) }
                });
                black_box(got.unwrap());
            }
        }
        "transient16_poll_once" => {
            let app = TransientApp::new();
            for _ in 0..n {
                black_box(poll_once(app.resolve::<Root>()).unwrap());
            }
        }
        "hand_async_transient16" => {
            let fails = false;
            for _ in 0..n {
                let got = poll_once(async {
                    if black_box(fails) { Err(injectq::Error::factory("Root", "never")) } else { Ok(hand_root()) }
                });
                black_box(got.unwrap());
            }
        }
        other => return chains(other, n),
    }
    true
}

/// The transient chains by value at 16, 32, 50 and 100 links: `resolve` polled once, `get`, and
/// the nested literals (`chain50_poll_once`, `chain50_get`, `hand_chain50`, ...).
fn chains(scenario: &str, n: usize) -> bool {
    use injectq_benches::chains::{chain16, chain32, chain50, chain100};
    macro_rules! depths {
        ($($depth:literal => $module:ident::$app:ident),*) => {
            match scenario {
                $(
                    concat!("chain", $depth, "_poll_once") => {
                        let app = $module::$app::new();
                        for _ in 0..n {
                            black_box(poll_once(app.resolve::<$module::C000>()).unwrap());
                        }
                    }
                    concat!("chain", $depth, "_get") => {
                        let app = $module::$app::new();
                        for _ in 0..n {
                            black_box(app.get::<$module::C000>().unwrap());
                        }
                    }
                    concat!("hand_chain", $depth) => {
                        for _ in 0..n {
                            black_box($module::hand());
                        }
                    }
                )*
                _ => return false,
            }
        };
    }
    depths!(16 => chain16::Chain16, 32 => chain32::Chain32, 50 => chain50::Chain50, 100 => chain100::Chain100);
    true
}
