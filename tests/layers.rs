//! The runtime crate's modules import only downwards, as ARCHITECTURE.md draws them: a module uses
//! modules of its own layer or of a lower one, never of a higher one, and no two modules import
//! each other, even through others. This reads `injectq/src` and fails on an import that breaks
//! that, naming it, so that the layers stay what the document says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, bottom first; every module of `injectq/src` is in one. Keep in step with
/// ARCHITECTURE.md.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "leaves",
        &["error", "dispose", "future", "deadline", "sync", "gate", "checked", "token", "current", "trace", "graph"],
    ),
    ("runtime", &["constructing", "bag", "slot"]),
    ("contract", &["provide", "lazy", "handles", "assisted", "now", "hosting", "health"]),
    ("plan", &["registry", "fields", "resolve", "lifecycle", "hooks", "outputs", "tenants", "config"]),
    ("integrations", &["served", "axum", "tonic"]),
    ("generated code's door", &["__private"]),
    ("documentation", &["diagnostics", "guide", "example"]),
];

/// The modules a source file names through `crate::`, directly or through a name that `lib.rs`
/// re-exports from one.
fn imports(source: &str, reexported: &BTreeMap<String, String>) -> BTreeSet<String> {
    let code: String = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default()
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            group.split('}').next().unwrap_or_default().split(',').collect()
        } else {
            vec![rest]
        };
        for name in names {
            let name: String = name.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if let Some(module) = reexported.get(&name) {
                found.insert(module.clone());
            } else if name.chars().next().is_some_and(char::is_lowercase) {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn the_runtime_imports_only_downwards_and_in_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("injectq/src");
    let layer_of: BTreeMap<&str, usize> =
        LAYERS.iter().enumerate().flat_map(|(i, (_, modules))| modules.iter().map(move |m| (*m, i))).collect();
    // `pub use module::{A, B};` in lib.rs: `crate::A` is `module`
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut reexported = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub use ")) {
        if let Some((module, names)) = line.split_once("::") {
            let names = names.trim_end_matches(';').trim_start_matches('{').trim_end_matches('}');
            for name in names.split(',') {
                reexported.insert(name.trim().to_owned(), module.to_owned());
            }
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        if !relative.ends_with(".rs") || relative == "lib.rs" || relative.ends_with("tests.rs") {
            continue;
        }
        let module = relative.split('/').next().unwrap().trim_end_matches(".rs").to_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let uses = imports(&source, &reexported);
        graph.entry(module.clone()).or_default().extend(uses.into_iter().filter(|m| *m != module));
    }
    let mut wrong = Vec::new();
    for (module, uses) in &graph {
        let Some(&mine) = layer_of.get(module.as_str()) else {
            wrong.push(format!("`{module}` is in no layer: add it to LAYERS and to ARCHITECTURE.md"));
            continue;
        };
        for used in uses.iter().filter(|u| graph.contains_key(*u)) {
            let theirs = layer_of.get(used.as_str()).copied().unwrap_or(usize::MAX);
            if theirs > mine {
                wrong.push(format!(
                    "`{module}` ({}) imports `{used}` ({}), a layer above",
                    LAYERS[mine].0, LAYERS[theirs].0
                ));
            }
        }
    }
    // a circle: a module that reaches itself through what it imports
    for start in graph.keys() {
        let mut stack: Vec<&String> = graph[start].iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if next == start {
                wrong.push(format!("`{start}` imports itself through others"));
                break;
            }
            if seen.insert(next) {
                stack.extend(graph.get(next).into_iter().flatten());
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
