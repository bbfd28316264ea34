// Two transients that each need the other by value (a cycle; the advice is `Provider`).
use injectq::{container, injectable};

#[injectable]
pub struct Parser {
    lexer: Lexer,
}

#[injectable]
pub struct Lexer {
    parser: Box<Parser>,
}

container! {
    pub struct App {
        transient Parser;
        transient Lexer;
    }
}

fn main() {}
