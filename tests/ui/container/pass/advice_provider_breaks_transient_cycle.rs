//! The advice of `container/fail/cycle_of_transients`, taken: `Lexer` takes `Provider<Parser>`
//! and builds one when it needs it. It compiles, and resolves from a scope (from the root
//! container, rustc overflows on the cycle, as the message says).

use injectq::{Provider, container, injectable};

#[injectable]
pub struct Parser {
    lexer: Lexer,
}

#[injectable]
pub struct Lexer {
    parser: Provider<Parser>,
}

container! {
    pub struct App {
        transient Parser;
        transient Lexer;
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let app = App::new();
        let scope = app.create_scope();
        let parser: Parser = scope.resolve().await.unwrap();
        let _nested: Parser = parser.lexer.parser.get().await.unwrap();
    });
}
