#!/usr/bin/env python3
"""Clean release build time of a generated graph of N services: hand-written, with injectq, and
with dill (the peer that can express this graph: lazily created singletons that need other
singletons, and transients; nject has no lazily created singletons, shaku would need a trait per
service).

Generates three crates in target/build-time/: the same N services (every third a singleton, the
others transient; service i needs services (i-1)/2 and (i-1)/3: a wide graph, about log2(N)
deep, as real graphs are), once wired by hand (OnceCell per singleton,
nested construction per transient), once with #[injectable] + container!, and once with dill's
#[component] + a catalog (each dependency an `Arc`, or a clone for a transient); each also has a
`run()` that resolves every service, as an application would, and a `main` that runs it, so both
compile and optimise every path. Dependencies are
built first; then each crate alone is rebuilt from clean, three times, and the median is printed
as `build_hand SECONDS`, `build_injectq SECONDS` and `build_dill SECONDS`.
"""
import os, statistics, subprocess, sys, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "target", "build-time")
INJECTQ = os.path.abspath(os.path.join(HERE, "..", "injectq"))


# a binary that runs `run()`: every future is compiled and optimised, on both sides (a library
# would compile only what it boxes, so it would not measure the hand-written side fairly)
MAIN = """
fn main() {{
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let container = {container};
    println!("{{}}", runtime.block_on(run(&container)){result});
}}
"""


def deps(i):
    if i == 0:
        return []
    return sorted({(i - 1) // 2, (i - 1) // 3})


def singleton(i):
    return i % 3 == 0


def field_ty(d):
    return f"Arc<S{d}>" if singleton(d) else f"S{d}"


def fields(i):
    """Service i's dependency fields, the same in every variant."""
    return "".join(f" d{d}: {field_ty(d)}," for d in deps(i))


def run_fn(params, output, fetch, result):
    """`run()`: every service resolved (`fetch(i)`, an expression), its `v` summed; an application
    uses its services, so every path is compiled."""
    out = [f"pub async fn run({params}) -> {output} {{", "    let mut sum = 0;"]
    out += [f"    sum += {fetch(i)}.v;" for i in range(N)]
    return out + [f"    {result}", "}"]


def hand():
    out = ["#![allow(dead_code)]", "use std::sync::Arc;", "use tokio::sync::OnceCell;", ""]
    for i in range(N):
        out.append(f"pub struct S{i} {{{fields(i)} v: u64 }}")
    out.append("#[derive(Default)] pub struct Container {")
    out += [f"    s{i}: OnceCell<Arc<S{i}>>," for i in range(N) if singleton(i)]
    out.append("}")
    out.append("impl Container {")
    for i in range(N):
        args = "".join(
            f" d{d}: self.get{d}().await," if singleton(d) else f" d{d}: self.make{d}().await," for d in deps(i)
        )
        build = f"S{i} {{{args} v: {i} }}"
        if singleton(i):
            out.append(f"    pub async fn get{i}(&self) -> Arc<S{i}> {{")
            out.append(f"        self.s{i}.get_or_init(|| async {{ Arc::new({build}) }}).await.clone()")
            out.append("    }")
        else:
            out.append(f"    pub async fn make{i}(&self) -> S{i} {{ {build} }}")
    out.append("}")
    out += run_fn("c: &Container", "u64", lambda i: f"c.get{i}().await" if singleton(i) else f"c.make{i}().await",
                  "sum")
    out += MAIN.format(container="Container::default()", result="").splitlines()
    return "\n".join(out) + "\n"


def injectq():
    out = ["#![allow(dead_code)]", "use std::sync::Arc;", "use injectq::{container, injectable};", ""]
    for i in range(N):
        out.append(f"#[injectable] pub struct S{i} {{{fields(i)} #[inject(default = {i})] v: u64 }}")
    out.append("container! {")
    out.append("    pub struct App {")
    out += [f"        {'singleton' if singleton(i) else 'transient'} S{i};" for i in range(N)]
    out.append("    }")
    out.append("}")
    resolved = lambda i: f"Arc<S{i}>" if singleton(i) else f"S{i}"
    out += run_fn("app: &App", "injectq::Result<u64>", lambda i: f"app.resolve::<{resolved(i)}>().await?", "Ok(sum)")
    out += MAIN.format(container="App::new()", result=".unwrap()").splitlines()
    return "\n".join(out) + "\n"


def dill():
    out = ["#![allow(dead_code)]", "use std::sync::Arc;", "use dill::Component;", ""]
    for i in range(N):
        scope = "#[dill::scope(dill::Singleton)] " if singleton(i) else "#[derive(Clone)] "
        out.append(f"#[dill::component] {scope}pub struct S{i} {{{fields(i)} v: u64 }}")
    out.append("pub fn catalog() -> dill::Catalog {")
    out.append("    dill::Catalog::builder()")
    out += [f"        .add_builder(S{i}::builder().with_v({i}))" for i in range(N)]
    out.append("        .build()")
    out.append("}")
    # dill is synchronous: `run` is async only to be called like the others
    out += run_fn("cat: &dill::Catalog", "u64", lambda i: f"cat.get_one::<S{i}>().unwrap()", "sum")
    out += MAIN.format(container="catalog()", result="").splitlines()
    return "\n".join(out) + "\n"


def write_crate(name, source, dependency):
    path = os.path.join(ROOT, name)
    os.makedirs(os.path.join(path, "src"), exist_ok=True)
    with open(os.path.join(path, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
                f'[workspace]\n\n[dependencies]\n{dependency}\n'
                'tokio = { version = "1", features = ["sync", "rt"] }\n')
    with open(os.path.join(path, "src", "main.rs"), "w") as f:
        f.write(source)
    return path


def timed_build(path, name):
    env = dict(os.environ, CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=os.path.join(ROOT, "target"))
    cargo = ["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(path, "Cargo.toml")]
    subprocess.run(cargo, check=True, env=env)  # dependencies, once
    times = []
    for _ in range(3):
        subprocess.run(["cargo", "clean", "--release", "--quiet", "-p", name, "--manifest-path",
                        os.path.join(path, "Cargo.toml")], check=True, env=env)
        start = time.perf_counter()
        subprocess.run(cargo, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    hand_path = write_crate("gen-hand", hand(), "")
    injectq_path = write_crate("gen-injectq", injectq(), f'injectq = {{ path = "{INJECTQ}" }}')
    print(f"build_hand {timed_build(hand_path, 'gen-hand'):.2f}")
    print(f"build_injectq {timed_build(injectq_path, 'gen-injectq'):.2f}")
    dill_path = write_crate("gen-dill", dill(), 'dill = "0.17"')
    print(f"build_dill {timed_build(dill_path, 'gen-dill'):.2f}")


if __name__ == "__main__":
    main()
