#!/usr/bin/env python3
"""Incremental rebuilds in a multi-crate workspace: what a user waits for after editing one service.

Two generated workspaces of the same graph, in target/incremental/: 10 leaf crates of 50 services
each (500 in all) and an app crate.

- `injectq`: each leaf's services are `#[injectable]` and listed by a `module!` of the leaf; the
  app crate declares the container, importing the ten modules, and resolves the top services.
- `hand`: each leaf's services have a `new` constructor; the app crate holds a tokio `OnceCell`
  per service and an `async fn` per service that awaits its dependencies' getters (the plainest
  async wiring by hand).

Each service of leaf k needs two services: of leaf k-1 (the first leaf: of its own, earlier ones).
Three edits of leaf 5, each made, measured, then undone:

- `body`: a function body of a service changes (no ABI change);
- `field`: a service gains a field (an ABI change), given a default by the constructor;
- `service`: a new service, registered (a line in the leaf's module; by hand, a constructor in the
  leaf and a cell and a getter in the app).

After each edit: `cargo build` and `cargo check` (debug, incremental, the crates only: the
dependencies are built once), median of `--reps` runs, and the ratio injectq / hand.

Usage: incremental.py [--reps 3] [--leaves 10] [--per-leaf 50] [--profile]

Prints `name value` lines (seconds), then a markdown table.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, time

# the `main` of a generated program, as build_time.py writes it
from build_time import MAIN

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "target", "incremental")
INJECTQ = os.path.abspath(os.path.join(HERE, "..", "injectq"))
EDITED = 5  # the leaf that is edited


def deps(leaf, i, per_leaf):
    """Service (leaf, i)'s two dependencies: (leaf, j) pairs."""
    if leaf == 0:
        return [(0, j) for j in sorted({i - 1, i // 2}) if 0 <= j < i]
    return [(leaf - 1, i), (leaf - 1, (i + 1) % per_leaf)]


def leaf_source(variant, leaf, per_leaf, edit=None):
    out = ["#![allow(dead_code, clippy::all)]", "use std::sync::Arc;"]
    if leaf > 0:
        out.append(f"use leaf{leaf - 1}::*;")
    if variant == "injectq":
        out.append("use injectq::{injectable, module};")
    out.append("")
    for i in range(per_leaf):
        name = f"L{leaf}S{i}"
        ds = deps(leaf, i, per_leaf)
        field_edit = edit == "field" and leaf == EDITED and i == 0
        fields = "".join(f" pub d{n}: Arc<L{dl}S{dj}>," for n, (dl, dj) in enumerate(ds))
        if variant == "injectq":
            extra = " #[inject(default)] pub extra: u64," if field_edit else ""
            out.append(f"#[injectable] pub struct {name} {{{fields}{extra} #[inject(default = {i})] pub v: u64 }}")
        else:
            extra = " pub extra: u64," if field_edit else ""
            out.append(f"pub struct {name} {{{fields}{extra} pub v: u64 }}")
            args = ", ".join(f"d{n}: Arc<L{dl}S{dj}>" for n, (dl, dj) in enumerate(ds))
            inits = "".join(f" d{n}," for n in range(len(ds)))
            extra_init = " extra: 0," if field_edit else ""
            out.append(f"impl {name} {{ pub fn new({args}) -> Self {{ Self {{{inits}{extra_init} v: {i} }} }} }}")
        body = "self.v * 2" if edit == "body" and leaf == EDITED and i == 0 else "self.v + 1"
        out.append(f"impl {name} {{ pub fn describe(&self) -> u64 {{ {body} }} }}")
    if edit == "service" and leaf == EDITED:
        if variant == "injectq":
            out.append(f"#[injectable] pub struct L{leaf}New {{ pub d0: Arc<L{leaf}S0> }}")
        else:
            out.append(f"pub struct L{leaf}New {{ pub d0: Arc<L{leaf}S0> }}")
            out.append(f"impl L{leaf}New {{ pub fn new(d0: Arc<L{leaf}S0>) -> Self {{ Self {{ d0 }} }} }}")
    if variant == "injectq":
        out.append("module! {")
        out.append("    pub services {")
        out += [f"        singleton $crate::L{leaf}S{i};".replace("$crate", "crate") for i in range(per_leaf)]
        if edit == "service" and leaf == EDITED:
            out.append(f"        singleton crate::L{leaf}New;")
        out += ["    }", "}"]
    return "\n".join(out) + "\n"


def app_source(variant, leaves, per_leaf, edit=None):
    top = leaves - 1
    out = ["#![allow(dead_code, clippy::all)]", "use std::sync::Arc;"]
    out += [f"use leaf{k}::*;" for k in range(leaves)]
    if variant == "injectq":
        out.append("injectq::container! {")
        out.append("    pub struct App {")
        out += [f"        import leaf{k}::services;" for k in range(leaves)]
        out += ["    }", "}"]
        out.append("pub async fn run(app: &App) -> injectq::Result<u64> {")
        out.append("    let mut sum = 0;")
        out += [f"    sum += app.resolve::<Arc<L{top}S{i}>>().await?.describe();" for i in range(per_leaf)]
        out += ["    Ok(sum)", "}"]
        out += MAIN.format(container="App::new()", unwrap=".unwrap()").splitlines()
        return "\n".join(out) + "\n"
    services = [(k, i) for k in range(leaves) for i in range(per_leaf)]
    new = edit == "service"
    out.append("#[derive(Default)] pub struct Container {")
    out += [f"    l{k}s{i}: tokio::sync::OnceCell<Arc<L{k}S{i}>>," for k, i in services]
    if new:
        out.append(f"    l{EDITED}new: tokio::sync::OnceCell<Arc<L{EDITED}New>>,")
    out.append("}")
    out.append("impl Container {")
    for k, i in services:
        args = ", ".join(f"self.l{dl}s{dj}().await" for dl, dj in deps(k, i, per_leaf))
        out.append(f"    pub async fn l{k}s{i}(&self) -> Arc<L{k}S{i}> {{")
        out.append(f"        self.l{k}s{i}.get_or_init(|| async {{ Arc::new(L{k}S{i}::new({args})) }}).await.clone()")
        out.append("    }")
    if new:
        out.append(f"    pub async fn l{EDITED}new(&self) -> Arc<L{EDITED}New> {{")
        out.append(f"        self.l{EDITED}new.get_or_init(|| async {{ Arc::new(L{EDITED}New::new(self.l{EDITED}s0().await)) }}).await.clone()")
        out.append("    }")
    out.append("}")
    out.append("pub async fn run(c: &Container) -> u64 {")
    out.append("    let mut sum = 0;")
    out += [f"    sum += c.l{top}s{i}().await.describe();" for i in range(per_leaf)]
    out += ["    sum", "}"]
    out += MAIN.format(container="Container::default()", unwrap="").splitlines()
    return "\n".join(out) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = open(path).read() if os.path.exists(path) else None
    if old != text:
        with open(path, "w") as f:
            f.write(text)


def generate(variant, leaves, per_leaf, edit=None):
    """Writes (or rewrites, for an edit) the workspace of `variant`; returns its path."""
    ws = os.path.join(ROOT, variant)
    dependency = f'injectq = {{ path = "{INJECTQ}" }}\n' if variant == "injectq" else ""
    tokio = 'tokio = { version = "1", features = ["sync", "rt"] }\n'
    members = ", ".join([f'"leaf{k}"' for k in range(leaves)] + ['"app"'])
    write(os.path.join(ws, "Cargo.toml"), f'[workspace]\nresolver = "2"\nmembers = [{members}]\n')
    for k in range(leaves):
        below = f'leaf{k - 1} = {{ path = "../leaf{k - 1}" }}\n' if k > 0 else ""
        write(os.path.join(ws, f"leaf{k}", "Cargo.toml"),
              f'[package]\nname = "leaf{k}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
              f'[dependencies]\n{dependency}{tokio}{below}')
        write(os.path.join(ws, f"leaf{k}", "src", "lib.rs"), leaf_source(variant, k, per_leaf, edit))
    leaves_deps = "".join(f'leaf{k} = {{ path = "../leaf{k}" }}\n' for k in range(leaves))
    write(os.path.join(ws, "app", "Cargo.toml"),
          f'[package]\nname = "app"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
          f'[dependencies]\n{dependency}{tokio}{leaves_deps}')
    write(os.path.join(ws, "app", "src", "main.rs"), app_source(variant, leaves, per_leaf, edit))
    return ws


def cargo(verb, ws, extra_env=None):
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ws, "target"))
    env.update(extra_env or {})
    start = time.perf_counter()
    done = subprocess.run(["cargo", verb, "--quiet", "--manifest-path", os.path.join(ws, "Cargo.toml")],
                          env=env, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"cargo {verb} failed in {ws}")
    return elapsed


def measure(variant, verb, edit, args):
    """Median seconds of `cargo verb` after `edit`, each run from the unedited workspace built."""
    times = []
    for _ in range(args.reps):
        generate(variant, args.leaves, args.per_leaf)
        cargo(verb, generate(variant, args.leaves, args.per_leaf))
        generate(variant, args.leaves, args.per_leaf, edit)
        times.append(cargo(verb, os.path.join(ROOT, variant)))
    generate(variant, args.leaves, args.per_leaf)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--leaves", type=int, default=10)
    parser.add_argument("--per-leaf", type=int, default=50)
    parser.add_argument("--edits", nargs="+", default=["body", "field", "service"])
    parser.add_argument("--verbs", nargs="+", default=["build", "check"])
    args = parser.parse_args()
    if args.leaves <= EDITED:
        parser.error(f"--leaves must be more than {EDITED}: leaf {EDITED} is the one edited")
    results = {}
    for variant in ["hand", "injectq"]:
        ws = generate(variant, args.leaves, args.per_leaf)
        for verb in args.verbs:
            shutil.rmtree(os.path.join(ws, "target"), ignore_errors=True)
            clean = cargo(verb, ws)  # dependencies included
            print(f"clean_{verb}_{variant} {clean:.2f}", flush=True)
            results[("clean", verb, variant)] = clean
            for edit in args.edits:
                seconds = measure(variant, verb, edit, args)
                results[(edit, verb, variant)] = seconds
                print(f"{edit}_{verb}_{variant} {seconds:.2f}", flush=True)
    print()
    print("| after | cargo | hand | injectq | injectq / hand |")
    print("|---|---|---|---|---|")
    for edit in ["clean"] + args.edits:
        for verb in args.verbs:
            h, i = results.get((edit, verb, "hand")), results.get((edit, verb, "injectq"))
            if h and i:
                print(f"| {edit} | {verb} | {h:.2f} s | {i:.2f} s | **{i / h:.2f}x** |")


if __name__ == "__main__":
    main()
