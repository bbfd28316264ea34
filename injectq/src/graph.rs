//! The compile-time graph check: `container!` emits
//! a `const` that runs [`check_graph`] and panics with its report, so a dependency cycle is a
//! compile error that prints the loop.

/// Node id meaning "no edge in the dependency graph".
#[doc(hidden)]
pub const NO_NODE: usize = usize::MAX;

/// How long a registered service lives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Lifetime {
    /// one per root container
    Singleton,
    /// one per scope
    Scoped,
    /// one per resolve
    Transient,
    /// given to the container's constructor
    Value,
    /// given to each scope when it is opened
    Input,
}

impl std::fmt::Display for Lifetime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

impl Lifetime {
    /// `singleton`, `scoped`, `transient` or `value`.
    pub const fn word(self) -> &'static str {
        match self {
            Lifetime::Singleton => "singleton",
            Lifetime::Scoped => "scoped",
            Lifetime::Transient => "transient",
            Lifetime::Value => "value",
            Lifetime::Input => "input",
        }
    }
}

/// One registration in the graph table (written by `container!`).
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
}

/// The dependency graph of a container: its registrations, their lifetimes and what each needs.
/// `App::graph()` returns it; render it with [`to_mermaid`](Self::to_mermaid) or
/// [`to_dot`](Self::to_dot).
#[derive(Clone, Copy, Debug)]
pub struct Graph {
    container: &'static str,
    nodes: &'static [Node],
}

/// A registration in a [`Graph`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// The registered type, as written.
    pub name: &'static str,
    /// How long it lives.
    pub lifetime: Lifetime,
    /// What it needs to be built (not counting `Lazy`, `Provider` and absent dependencies).
    pub dependencies: Vec<&'static str>,
}

impl Graph {
    #[doc(hidden)]
    pub const fn new(container: &'static str, nodes: &'static [Node]) -> Self {
        Graph { container, nodes }
    }

    /// The container's name.
    pub fn container(&self) -> &'static str {
        self.container
    }

    /// The table behind it.
    pub(crate) fn nodes(&self) -> &'static [Node] {
        self.nodes
    }

    /// The registrations, in declaration order.
    pub fn services(&self) -> impl Iterator<Item = Service> + '_ {
        self.nodes.iter().map(|n| Service {
            name: n.name,
            lifetime: n.lifetime,
            dependencies: self.edges(n).map(|d| self.nodes[d].name).collect(),
        })
    }

    fn edges<'a>(&'a self, node: &'a Node) -> impl Iterator<Item = usize> + 'a {
        node.deps.iter().copied().filter(|&d| d != NO_NODE && d < self.nodes.len())
    }

    /// The graph as a Mermaid flowchart: each service points at what it needs.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (i, n) in self.nodes.iter().enumerate() {
            out.push_str(&format!("    n{i}[\"{}<br/><i>{}</i>\"]\n", escape(n.name, '"'), n.lifetime));
        }
        for (i, n) in self.nodes.iter().enumerate() {
            for d in self.edges(n) {
                out.push_str(&format!("    n{i} --> n{d}\n"));
            }
        }
        out
    }

    /// The graph in Graphviz DOT: each service points at what it needs.
    pub fn to_dot(&self) -> String {
        let mut out =
            format!("digraph \"{}\" {{\n    rankdir=LR;\n    node [shape=box];\n", escape(self.container, '"'));
        for (i, n) in self.nodes.iter().enumerate() {
            out.push_str(&format!("    n{i} [label=\"{}\\n({})\"];\n", escape(n.name, '"'), n.lifetime));
        }
        for (i, n) in self.nodes.iter().enumerate() {
            for d in self.edges(n) {
                out.push_str(&format!("    n{i} -> n{d};\n"));
            }
        }
        out.push_str("}\n");
        out
    }
}

fn escape(name: &str, quote: char) -> String {
    name.replace(quote, "'").replace('<', "&lt;").replace('>', "&gt;")
}

/// The outcome of [`check_graph`]: empty, or the message of the first problem found.
#[doc(hidden)]
pub struct Report(Msg);

impl Report {
    /// The problem, if any.
    pub const fn message(&self) -> Option<&str> {
        if self.0.len == 0 {
            return None;
        }
        let (bytes, _) = self.0.buf.split_at(self.0.len);
        match core::str::from_utf8(bytes) {
            Ok(s) => Some(s),
            Err(_) => Some("[injectq::dependency-cycle] dependency cycle (the names did not fit in the message)"),
        }
    }
}

/// Checks the dependency graph of a container for cycles. In a `const` item, `container!` turns
/// a report into a compile error that reads
///
/// ```text
/// [injectq::dependency-cycle] dependency cycle: singleton `Orders` -> singleton `Customers` -> singleton `Orders`; ...
/// ```
///
/// Captive dependencies (a singleton needing a scoped service) are type errors before this runs.
#[doc(hidden)]
pub const fn check_graph<const N: usize>(nodes: &[Node; N]) -> Report {
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
                    return cycle_report(nodes, &stack, sp, w);
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
    Report(Msg::new())
}

/// The most objects a transient's by-value graph may hold and still be built inline, inside
/// whatever needs it: larger ones are built by a call of a function of their own.
///
/// Built inline, a transient graph is folded by the optimiser into the stores of its leaves, as
/// nested struct literals are; but a graph built by value is a tree (a transient needed twice is
/// built twice), and inlining a deep one writes out every object of the tree at every place that
/// needs it. A 10-layer graph of 200 transients, each needing two of the layer below, is a tree of
/// 1023 objects under each top service: all inlined, its release build took 24.5 s, 17 of them in
/// the optimiser; with the graphs above this limit called, 8.6 s (`benches/build_time.py`). The
/// 16-object graph of the runtime benchmark stays inline, and as fast.
pub(crate) const INLINE_OBJECTS: usize = 32;

/// Which transients are built by a call of their own (written by `container!` into a table, read
/// per transient): those whose *inline region* holds more than [`INLINE_OBJECTS`] objects, the
/// region being the transient and the transients it needs, each counted as often as it is built,
/// down to the ones that are called themselves (each of those counts as one: a call); and those
/// that build two or more transients and whose whole graph is past the limit. So a deep chain is
/// cut into regions of at most that many objects, called every 32 links, not at each of the 68
/// links of a 100-link chain that have more than 32 below them, which made building it quadratic
/// (each call returned, by copy, everything below it); a wide graph is called where it was.
///
/// Found bottom-up for every node at once: a node's region is known once its transient
/// dependencies' are; rounds until nothing changes, linear in the edges per round, as many rounds
/// as the graph is deep. Counts stop past the limit, and a node on a cycle (which `check_graph`
/// reports) ends called.
#[doc(hidden)]
pub const fn outlined<const N: usize>(nodes: &[Node; N]) -> [bool; N] {
    const UNKNOWN: usize = usize::MAX;
    let mut region = [UNKNOWN; N];
    let mut called = [false; N];
    let mut changed = true;
    while changed {
        changed = false;
        let mut v = 0;
        while v < N {
            if region[v] == UNKNOWN && matches!(nodes[v].lifetime, Lifetime::Transient) {
                let deps = nodes[v].deps;
                let (mut count, mut known, mut i) = (1, true, 0);
                while i < deps.len() {
                    let d = deps[i];
                    if d < N && matches!(nodes[d].lifetime, Lifetime::Transient) {
                        if region[d] == UNKNOWN {
                            known = false;
                        } else if called[d] {
                            count += 1;
                        } else {
                            count += region[d];
                        }
                        if count > INLINE_OBJECTS + 1 {
                            count = INLINE_OBJECTS + 1;
                        }
                    }
                    i += 1;
                }
                if known {
                    region[v] = count;
                    // a transient that builds two or more others past the limit is called too, as
                    // its whole graph would be (each of its callers would otherwise inline its
                    // region: the build time of wide graphs); a chain is cut by regions only
                    called[v] = count > INLINE_OBJECTS
                        || (transient_deps(nodes, v) > 1 && objects(nodes, v, INLINE_OBJECTS + 1) > INLINE_OBJECTS);
                    changed = true;
                }
            }
            v += 1;
        }
    }
    // what is left unknown is on a cycle: called
    let mut v = 0;
    while v < N {
        if region[v] == UNKNOWN && matches!(nodes[v].lifetime, Lifetime::Transient) {
            called[v] = true;
        }
        v += 1;
    }
    called
}

/// Which registrations settle (a transient: see `Transient::SETTLES`) or are assembled (a
/// shared service: see `Shared::ASSEMBLED`), from whether each one's builder can build it without
/// awaiting (`now`: no init hook, no async factory, not a collection): a registration qualifies if
/// its builder can, and every transient it needs settles. Every other dependency settles: a
/// shared service is created once, and a value, a token or a handle is there already.
///
/// Found for every node at once, by taking the flag away from each registration that needs a
/// transient without it until nothing changes: linear in the edges per round, and there are at
/// most as many rounds as the graph is deep. A cycle (which `check_graph` reports) ends it too.
#[doc(hidden)]
pub const fn settled<const N: usize>(nodes: &[Node; N], now: [bool; N]) -> [bool; N] {
    let mut settles = now;
    let mut changed = true;
    while changed {
        changed = false;
        let mut v = 0;
        while v < N {
            if settles[v] {
                let deps = nodes[v].deps;
                let mut i = 0;
                while i < deps.len() {
                    let d = deps[i];
                    if d < N && matches!(nodes[d].lifetime, Lifetime::Transient) && !settles[d] {
                        settles[v] = false;
                        changed = true;
                        break;
                    }
                    i += 1;
                }
            }
            v += 1;
        }
    }
    settles
}

/// How many transients `node` builds.
const fn transient_deps(nodes: &[Node], node: usize) -> usize {
    let deps = nodes[node].deps;
    let (mut count, mut i) = (0, 0);
    while i < deps.len() {
        if deps[i] < nodes.len() && matches!(nodes[deps[i]].lifetime, Lifetime::Transient) {
            count += 1;
        }
        i += 1;
    }
    count
}

/// The objects of `node`'s by-value graph, counted up to about `budget`.
const fn objects(nodes: &[Node], node: usize, budget: usize) -> usize {
    let mut count = 1;
    let deps = nodes[node].deps;
    let mut i = 0;
    while i < deps.len() && count < budget {
        let d = deps[i];
        if d < nodes.len() && matches!(nodes[d].lifetime, Lifetime::Transient) {
            count += objects(nodes, d, budget - count);
        }
        i += 1;
    }
    count
}

/// `stack[..sp]` is the DFS path and `w`, on it, is where the loop closes.
const fn cycle_report<const N: usize>(nodes: &[Node; N], stack: &[usize; N], sp: usize, w: usize) -> Report {
    let mut m = Msg::new();
    m.push("[injectq::dependency-cycle] dependency cycle: ");
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
    m.push("; none of them can be built before the others. Remove one of these dependencies, or defer one: `");
    m.push(nodes[stack[sp - 1]].name);
    // a transient is deferred by a `Provider` (a new one per call); a shared service by a `Lazy`
    if matches!(nodes[w].lifetime, Lifetime::Transient) {
        m.push("` can take `Provider<");
        m.push(nodes[w].name);
        m.push(">` and build one when it needs it (then resolve them from a scope: from the root container, rustc cannot prove a cycle of transients and overflows, E0275)");
    } else {
        m.push("` can take `Lazy<");
        m.push(nodes[w].name);
        m.push(">` and resolve it on first use");
    }
    Report(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn node(name: &'static str, lifetime: Lifetime, deps: &'static [usize]) -> Node {
        Node { name, lifetime, deps }
    }

    #[test]
    fn what_must_be_awaited_every_time_is_found_through_transients_only() {
        use Lifetime::{Scoped, Singleton, Transient, Value};
        // 0 <- 1 <- 2 <- 3: a chain of transients over an async factory's transient (0, not
        // `now`); 4 a singleton over 3; 5 a singleton over 4 (a shared dependency settles);
        // 6 a scoped service needing a value (7); 8 a transient with an init hook (not `now`)
        const NODES: [Node; 9] = [
            node("Clock", Transient, &[]),
            node("Stamp", Transient, &[0]),
            node("Log", Transient, &[1, NO_NODE]),
            node("Audit", Transient, &[2]),
            node("Auditor", Singleton, &[3]),
            node("Report", Singleton, &[4]),
            node("Session", Scoped, &[7]),
            node("Config", Value, &[]),
            node("Warm", Transient, &[7]),
        ];
        const NOW: [bool; 9] = [false, true, true, true, true, true, true, true, false];
        assert_eq!(settled(&NODES, NOW), [false, false, false, false, false, true, true, true, false]);
        // with the clock built by plain calls, everything settles but the init hook's
        let mut now = NOW;
        now[0] = true;
        assert_eq!(settled(&NODES, now), [true, true, true, true, true, true, true, true, false]);
    }

    #[test]
    fn finding_what_settles_ends_on_a_cycle() {
        let nodes = [node("A", Lifetime::Transient, &[1]), node("B", Lifetime::Transient, &[0])];
        assert_eq!(settled(&nodes, [true, true]), [true, true]);
        assert_eq!(settled(&nodes, [false, true]), [false, false]);
    }

    #[test]
    fn a_transient_graph_is_built_by_a_call_of_its_own_past_the_inline_limit() {
        // a binary tree of transients: node `k` needs node `k + 1` twice, so its by-value graph
        // holds 2^(DEPTH - k) - 1 objects; the last transient needs a singleton, which is not
        // counted (it is handed out, not built)
        const DEPTH: usize = 8;
        const TWICE: [[usize; 2]; DEPTH + 1] = {
            let mut deps = [[0; 2]; DEPTH + 1];
            let mut k = 0;
            while k <= DEPTH {
                deps[k] = [k + 1, k + 1];
                k += 1;
            }
            deps
        };
        let mut nodes = [node("Shared", Lifetime::Singleton, &[]); DEPTH + 1];
        for (k, deps) in TWICE.iter().enumerate().take(DEPTH) {
            nodes[k] = node("Node", Lifetime::Transient, deps);
        }
        let called = outlined(&nodes);
        // each node builds two: called wherever its whole graph is past the limit
        for (k, called) in called.iter().enumerate().take(DEPTH) {
            let objects = (1usize << (DEPTH - k)) - 1;
            assert_eq!(*called, objects > INLINE_OBJECTS, "node {k}: {objects} objects");
        }
        assert!(called[0], "a tree of 255 objects is called");
        assert!(!called[DEPTH - 3], "a tree of 7 objects is inlined");
        assert!(!called[DEPTH], "a singleton is never called this way");
    }

    #[test]
    fn a_deep_chain_is_called_at_intervals_not_at_every_link() {
        const DEPTH: usize = 100;
        const NEXT: [[usize; 1]; DEPTH] = {
            let mut deps = [[0; 1]; DEPTH];
            let mut k = 0;
            while k < DEPTH {
                deps[k] = [k + 1];
                k += 1;
            }
            deps
        };
        let mut nodes = [node("Link", Lifetime::Transient, &[]); DEPTH];
        for (k, deps) in NEXT.iter().enumerate().take(DEPTH - 1) {
            nodes[k] = node("Link", Lifetime::Transient, deps);
        }
        let called: Vec<usize> = outlined(&nodes).iter().enumerate().filter(|(_, c)| **c).map(|(k, _)| k).collect();
        // from the last link up: a region of 32 inline, the 33rd called, then 31 more and a call
        assert_eq!(called, [3, 35, 67]);
    }

    #[test]
    fn counting_a_transient_graph_ends_on_a_cycle() {
        // the graph check reports the cycle; counting must still end
        let nodes = [node("A", Lifetime::Transient, &[1]), node("B", Lifetime::Transient, &[0])];
        assert_eq!(outlined(&nodes), [true, true]);
        let nodes = [node("A", Lifetime::Transient, &[0, NO_NODE])];
        assert_eq!(outlined(&nodes), [true]);
    }

    #[test]
    fn an_acyclic_graph_passes() {
        let nodes = [
            node("Config", Lifetime::Value, &[]),
            node("Pool", Lifetime::Singleton, &[0]),
            node("Repo", Lifetime::Scoped, &[1, 0]),
            node("Handler", Lifetime::Transient, &[2, 1, 0]),
        ];
        assert_eq!(check_graph(&nodes).message(), None);
        assert_eq!(check_graph::<0>(&[]).message(), None);
    }

    #[test]
    fn a_cycle_is_reported_with_its_loop_and_the_way_out() {
        let nodes = [
            node("Config", Lifetime::Value, &[]),
            node("Orders", Lifetime::Singleton, &[0, 2]),
            node("Customers", Lifetime::Transient, &[1]),
        ];
        assert_eq!(
            check_graph(&nodes).message(),
            Some(
                "[injectq::dependency-cycle] dependency cycle: singleton `Orders` -> transient `Customers` -> singleton \
                 `Orders`; none of them can be \
                 built before the others. Remove one of these dependencies, or defer one: `Customers` can take \
                 `Lazy<Orders>` and resolve it on first use"
            )
        );
    }

    #[test]
    fn the_loop_starts_where_it_closes_not_where_the_search_started() {
        // A -> B -> C -> B: the loop is B -> C -> B; A only leads into it
        let nodes = [
            node("A", Lifetime::Transient, &[1]),
            node("B", Lifetime::Transient, &[2]),
            node("C", Lifetime::Transient, &[1]),
        ];
        let report = check_graph(&nodes);
        let message = report.message().unwrap();
        assert!(
            message.starts_with(
                "[injectq::dependency-cycle] dependency cycle: transient `B` -> transient `C` -> transient `B`;"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_self_dependency_is_a_cycle() {
        let nodes = [node("Node", Lifetime::Scoped, &[0])];
        assert!(
            check_graph(&nodes)
                .message()
                .unwrap()
                .starts_with("[injectq::dependency-cycle] dependency cycle: scoped `Node` -> scoped `Node`;")
        );
    }

    #[test]
    fn edges_that_are_not_construction_edges_are_ignored() {
        let nodes = [node("A", Lifetime::Singleton, &[NO_NODE, 1]), node("B", Lifetime::Singleton, &[NO_NODE])];
        assert_eq!(check_graph(&nodes).message(), None);
    }

    #[test]
    fn the_graph_check_runs_in_const_evaluation() {
        const REPORT: Report = check_graph(&[node("A", Lifetime::Singleton, &[])]);
        assert!(REPORT.message().is_none());
    }

    #[test]
    fn long_names_are_cut_and_the_message_stays_valid_utf8() {
        const LONG: &str = "ÄÖÜ_a_very_long_type_name_that_repeats_ÄÖÜ_a_very_long_type_name_that_repeats_ÄÖÜ_\
                            a_very_long_type_name_that_repeats_ÄÖÜ_a_very_long_type_name_that_repeats_ÄÖÜ_\
                            a_very_long_type_name_that_repeats_ÄÖÜ_a_very_long_type_name_that_repeats";
        let names: [&'static str; 20] = [LONG; 20];
        let deps: [&'static [usize]; 20] = [
            &[1],
            &[2],
            &[3],
            &[4],
            &[5],
            &[6],
            &[7],
            &[8],
            &[9],
            &[10],
            &[11],
            &[12],
            &[13],
            &[14],
            &[15],
            &[16],
            &[17],
            &[18],
            &[19],
            &[0],
        ];
        let nodes: [Node; 20] = std::array::from_fn(|i| node(names[i], Lifetime::Transient, deps[i]));
        let report = check_graph(&nodes);
        let message = report.message().unwrap();
        assert!(message.starts_with("[injectq::dependency-cycle] dependency cycle: transient `ÄÖÜ"));
        assert!(message.len() <= MSG_CAP);
        assert!(message.ends_with("..."), "{message}");
    }
}
