//! What a user's documentation shows of injectq is its public API only. `tests/crates/doc_probe` is
//! a user's crate as small as the quickstart (a factory, a binding, scoped and transient services,
//! a worker holding a `ScopeFactory`, `#[provides(..)]`); this documents it with rustdoc and fails
//! if a page names one of injectq's hidden traits or its `__private` module, naming the page. The
//! generated impls of hidden traits are `#[doc(hidden)]`, so that a container's page lists
//! `Container`, its `#[provides]` trait and the standard traits, and nothing else of injectq.

use std::path::{Path, PathBuf};
use std::process::Command;

/// injectq's hidden names, none of them an English word that a doc comment could start a sentence
/// with. A new hidden trait that generated code implements for a user's type goes here.
const HIDDEN: &[&str] = &[
    "__private",
    "Shape",
    "Registered",
    "Strategy",
    "StrategyNow",
    "Recipe",
    "RecipeNow",
    "Injectable",
    "Produces",
    "CollectedNow",
    "ThreadSafe",
    "Checked",
    "Slot",
    "Bags",
    "DisposeBag",
    "Carries",
    "Handle",
    "Starts",
    "Pending",
    "Resolving<",
    "Creation",
    "InKind",
    "AtHome",
    "Unrelated",
    "Level",
];

fn document_probe() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // a target directory of its own: the running `cargo test` holds the workspace's
    let target = root.join("target").join("doc_probe");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["doc", "--quiet", "--no-deps", "-p", "injectq-doc-probe"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTDOCFLAGS")
        .current_dir(root)
        .status()
        .expect("cargo doc runs");
    assert!(status.success(), "cargo doc -p injectq-doc-probe failed");
    target.join("doc").join("injectq_doc_probe")
}

/// The page's text without its markup, its entities decoded where they matter (`&lt;`).
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// `name` as a whole word of `text` (an identifier is not a part of a longer one).
fn names(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(word) && (name.ends_with('<') || !after.is_some_and(word))
    })
}

#[test]
fn a_users_documentation_names_no_hidden_item_of_injectq() {
    let pages = document_probe();
    let mut read = 0;
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&pages).expect("the probe's pages") {
        let path = entry.expect("a page").path();
        if path.extension().is_none_or(|ext| ext != "html") {
            continue;
        }
        read += 1;
        let text = text_of(&std::fs::read_to_string(&path).expect("a page reads"));
        for name in HIDDEN {
            if names(&text, name) {
                found.push(format!("{} names {name}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    // the container, its scope, the provides traits, the services: the pages this is about exist
    for page in [
        "struct.App.html",
        "struct.AppScope.html",
        "struct.JobScope.html",
        "trait.AppServices.html",
        "struct.Worker.html",
    ] {
        assert!(pages.join(page).exists(), "rustdoc wrote no {page}");
    }
    assert!(read >= 10, "only {read} pages documented");
    assert!(found.is_empty(), "hidden items of injectq in a user's documentation:\n{}", found.join("\n"));
}

#[test]
fn the_search_finds_hidden_names_where_they_are() {
    // the check itself: a hidden name in a page's code is found, a longer identifier or a word in
    // prose that merely contains one is not
    let page = text_of("<code>impl&lt;C&gt; <a>InjectableNow</a>&lt;C&gt; for X</code>");
    assert!(names(&page, "InjectableNow"));
    assert!(names(&text_of("<span>__private</span>::Slot"), "__private"));
    assert!(names(&text_of("<span>::Slot</span>"), "Slot"));
    assert!(!names(&text_of("<p>Slots are filled once</p>"), "Slot"));
    assert!(!names(&text_of("<p>A ShapeShifter</p>"), "Shape"));
    assert!(!names(&text_of("<p>Resolving afterwards is an error</p>"), "Resolving<"));
    assert!(names(&text_of("<code>Resolving&lt;'_&gt;</code>"), "Resolving<"));
}
