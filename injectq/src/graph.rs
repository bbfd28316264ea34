//! The compile-time graph check: `container!` emits
//! `const _: () = check_graph(&[Node { .. }, ..]);` and a cycle or a captive dependency makes
//! constant evaluation fail with a message that prints the path.

use crate::provide::NO_NODE;

/// How long a registration lives.
#[doc(hidden)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lifetime {
    /// one per root container
    Singleton,
    /// one per scope
    Scoped,
    /// one per resolve
    Transient,
    /// given to the container's constructor
    Value,
}

impl Lifetime {
    const fn word(self) -> &'static str {
        match self {
            Lifetime::Singleton => "singleton",
            Lifetime::Scoped => "scoped",
            Lifetime::Transient => "transient",
            Lifetime::Value => "value",
        }
    }
}

/// One registration in the graph table.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// the registered type as written
    pub name: &'static str,
    /// its lifetime
    pub lifetime: Lifetime,
    /// graph ids of what it needs to be built; `NO_NODE` entries are not edges
    pub deps: &'static [usize],
}

const MSG_CAP: usize = 2048;

/// A fixed-size message buffer: const evaluation cannot allocate.
struct Msg {
    buf: [u8; MSG_CAP],
    len: usize,
}

impl Msg {
    const fn new() -> Self {
        Msg { buf: [0; MSG_CAP], len: 0 }
    }

    /// Appends `s` whole, or `...` once it no longer fits, so the buffer stays valid UTF-8.
    const fn push(&mut self, s: &str) {
        let b = s.as_bytes();
        if self.len + b.len() + 3 > MSG_CAP {
            if self.len + 3 <= MSG_CAP && !self.ends_with_ellipsis() {
                self.push_bytes(b"...");
            }
            return;
        }
        self.push_bytes(b);
    }

    const fn ends_with_ellipsis(&self) -> bool {
        self.len >= 3 && self.buf[self.len - 1] == b'.' && self.buf[self.len - 2] == b'.'
    }

    const fn push_bytes(&mut self, b: &[u8]) {
        let mut i = 0;
        while i < b.len() {
            self.buf[self.len] = b[i];
            self.len += 1;
            i += 1;
        }
    }

    const fn push_node(&mut self, node: &Node) {
        self.push(node.lifetime.word());
        self.push(" `");
        self.push(node.name);
        self.push("`");
    }

    const fn fail(&self) -> ! {
        let (s, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(s) {
            Ok(s) => panic!("{}", s),
            Err(_) => panic!("injectq: dependency graph error"),
        }
    }
}

/// Checks the dependency graph of a container; in a `const` item, a failure is a compile error
/// that reads
///
/// ```text
/// dependency cycle: singleton `A` -> transient `B` -> singleton `A` ...
/// captive dependency: singleton `Cache` -> transient `Handler` -> scoped `RequestCtx` ...
/// ```
#[doc(hidden)]
pub const fn check_graph<const N: usize>(nodes: &[Node; N]) {
    check_cycles(nodes);
    check_captive(nodes);
}

const fn check_cycles<const N: usize>(nodes: &[Node; N]) {
    // iterative DFS; colour 0 = new, 1 = on the stack, 2 = done
    let mut colour = [0u8; N];
    let mut stack = [0usize; N];
    let mut next_edge = [0usize; N];
    let mut root = 0;
    while root < N {
        if colour[root] == 0 {
            colour[root] = 1;
            stack[0] = root;
            next_edge[0] = 0;
            let mut sp = 1;
            while sp > 0 {
                let v = stack[sp - 1];
                let deps = nodes[v].deps;
                if next_edge[sp - 1] == deps.len() {
                    colour[v] = 2;
                    sp -= 1;
                    continue;
                }
                let w = deps[next_edge[sp - 1]];
                next_edge[sp - 1] += 1;
                if w == NO_NODE || w >= N {
                    continue;
                }
                if colour[w] == 1 {
                    report_cycle(nodes, &stack, sp, w);
                }
                if colour[w] == 0 {
                    colour[w] = 1;
                    stack[sp] = w;
                    next_edge[sp] = 0;
                    sp += 1;
                }
            }
        }
        root += 1;
    }
}

const fn report_cycle<const N: usize>(nodes: &[Node; N], stack: &[usize; N], sp: usize, w: usize) -> ! {
    let mut m = Msg::new();
    m.push("dependency cycle: ");
    let mut i = 0;
    while stack[i] != w {
        i += 1;
    }
    while i < sp {
        m.push_node(&nodes[stack[i]]);
        m.push(" -> ");
        i += 1;
    }
    m.push_node(&nodes[w]);
    m.push("\n       none of these can be built before the others; remove one of these dependencies, or have `");
    m.push(nodes[stack[sp - 1]].name);
    m.push("` take `Lazy<");
    m.push(nodes[w].name);
    m.push(">` (resolved on first use) instead");
    m.fail()
}

const fn check_captive<const N: usize>(nodes: &[Node; N]) {
    // from each singleton, walk through transients; reaching a scoped node is a captive path
    let mut stack = [0usize; N];
    let mut next_edge = [0usize; N];
    let mut s = 0;
    while s < N {
        if matches!(nodes[s].lifetime, Lifetime::Singleton) {
            let mut seen = [false; N];
            stack[0] = s;
            next_edge[0] = 0;
            let mut sp = 1;
            while sp > 0 {
                let v = stack[sp - 1];
                let deps = nodes[v].deps;
                if next_edge[sp - 1] == deps.len() {
                    sp -= 1;
                    continue;
                }
                let w = deps[next_edge[sp - 1]];
                next_edge[sp - 1] += 1;
                if w == NO_NODE || w >= N || seen[w] {
                    continue;
                }
                seen[w] = true;
                match nodes[w].lifetime {
                    Lifetime::Scoped => report_captive(nodes, &stack, sp, w),
                    Lifetime::Transient => {
                        stack[sp] = w;
                        next_edge[sp] = 0;
                        sp += 1;
                    }
                    Lifetime::Singleton | Lifetime::Value => {}
                }
            }
        }
        s += 1;
    }
}

const fn report_captive<const N: usize>(nodes: &[Node; N], stack: &[usize; N], sp: usize, w: usize) -> ! {
    let mut m = Msg::new();
    m.push("captive dependency: ");
    let mut i = 0;
    while i < sp {
        m.push_node(&nodes[stack[i]]);
        m.push(" -> ");
        i += 1;
    }
    m.push_node(&nodes[w]);
    m.push("\n       a singleton lives as long as the container, a scoped service only as long as its scope; make `");
    m.push(nodes[stack[0]].name);
    m.push("` scoped, make `");
    m.push(nodes[w].name);
    m.push("` a singleton, or pass it per call");
    m.fail()
}
