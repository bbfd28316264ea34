#!/usr/bin/env python3
"""Build and check time of generated containers, against the same graph wired by hand.

The graph: N services in 10 layers of N/10; each service above the first needs two services of
the layer below, and `main` resolves the top layer, as an application would. Three shapes: every
service a singleton, every service a transient, and mixed (every third a singleton). Each
variant is a crate of its own in target/build-time/ (dependencies built once, then the crate
alone rebuilt from clean):

- `hand`: the same services wired by hand: nested struct literals for transients, a tokio
  `OnceCell` per singleton, built the way injectq builds them (awaited);
- `injectq`: `#[injectable]` + `container!`;
- `dill`: the run-time peer, for reference (`--peers`).

Usage:
  build_time.py                       the table: shapes x sizes (200, 500), build and check
  build_time.py --sizes 200 1000      other sizes
  build_time.py --shapes singleton    some shapes only; `generic` and `written` (injectq only): all
                                      singletons, every fourth a generic struct registered by a
                                      generic registration, or written out per type
  build_time.py --reps 3              repetitions (the median is printed; default 1)
  build_time.py --with-dependencies   also from nothing, dependencies included (`fresh_` lines):
                                      what a first build of the project costs, injectq's macros
                                      and syn included
  build_time.py --profile             also rustc's passes (-Z time-passes) for injectq at each size,
                                      and, with measureme's `summarize` on PATH, the queries
                                      (-Z self-profile) that type checking spends its time in
  build_time.py --deep 300            the deepest chain, up to 300, of singletons and of transients
                                      (resolved from a scope and from the root) that compiles with
                                      the default recursion_limit, wired by injectq and by hand

Prints `name value` lines (seconds; peak memory in MB) that benches/report.py turns into tables.
RUSTC_BOOTSTRAP=1 is set for the profiled builds only (-Z flags): it is a benchmark script's
switch, never the library's.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "target", "build-time")
INJECTQ = os.path.abspath(os.path.join(HERE, "..", "injectq"))
LAYERS = 10


def layer_width(n):
    return max(1, n // LAYERS)


def deps(n, i):
    """Service i's dependencies: two services of the layer below (none in the first layer)."""
    w = layer_width(n)
    layer, j = divmod(i, w)
    if layer == 0:
        return []
    below = (layer - 1) * w
    return sorted({below + j, below + (j + 1) % w})


def top(n):
    w = layer_width(n)
    return range(n - w, n) if n >= w else range(n)


def is_singleton(shape, i):
    return shape in ("singleton", "generic", "written") or (shape == "mixed" and i % 3 == 0)


def is_generic(shape, i):
    """In the `generic` and `written` shapes (all singletons), every fourth service is a generic
    struct `S{i}<T: Kind>`, used as `S{i}<K>`: registered by a generic registration
    (`singleton<T: Kind> S{i}<T>;`, `generic`) or written out (`singleton S{i}<K>;`, `written`).
    At 200 services, 50 of them."""
    return shape in ("generic", "written") and i % 4 == 0


MAIN = """
fn main() {{
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let container = {container};
    println!("{{}}", runtime.block_on(run(&container)){unwrap});
}}
"""


def hand(shape, n):
    s = lambda i: is_singleton(shape, i)
    ty = lambda d: f"Arc<S{d}>" if s(d) else f"S{d}"
    out = ["#![allow(dead_code)]", "use std::sync::Arc;", "use tokio::sync::OnceCell;", ""]
    for i in range(n):
        fields = "".join(f" d{d}: {ty(d)}," for d in deps(n, i))
        out.append(f"pub struct S{i} {{{fields} v: u64 }}")
    out.append("#[derive(Default)] pub struct Container {")
    out += [f"    s{i}: OnceCell<Arc<S{i}>>," for i in range(n) if s(i)]
    out.append("}")
    out.append("impl Container {")
    for i in range(n):
        args = "".join(f" d{d}: self.{'get' if s(d) else 'make'}{d}().await," for d in deps(n, i))
        build = f"S{i} {{{args} v: {i} }}"
        if s(i):
            out.append(f"    pub async fn get{i}(&self) -> Arc<S{i}> {{")
            out.append(f"        self.s{i}.get_or_init(|| async {{ Arc::new({build}) }}).await.clone()")
            out.append("    }")
        else:
            out.append(f"    pub async fn make{i}(&self) -> S{i} {{ {build} }}")
    out.append("}")
    out.append("pub async fn run(c: &Container) -> u64 {")
    out.append("    let mut sum = 0;")
    out += [f"    sum += c.{'get' if s(i) else 'make'}{i}().await.v;" for i in top(n)]
    out += ["    sum", "}"]
    out += MAIN.format(container="Container::default()", unwrap="").splitlines()
    return "\n".join(out) + "\n"


def injectq(shape, n):
    s = lambda i: is_singleton(shape, i)
    g = lambda i: is_generic(shape, i)
    name = lambda d: f"S{d}<K>" if g(d) else f"S{d}"
    ty = lambda d: f"Arc<{name(d)}>" if s(d) else name(d)
    out = ["#![allow(dead_code)]", "use std::sync::Arc;", "use injectq::{container, injectable};", ""]
    if shape in ("generic", "written"):
        out += ["pub trait Kind: Send + Sync + 'static {}", "pub struct K;", "impl Kind for K {}", ""]
    for i in range(n):
        fields = "".join(f" d{d}: {ty(d)}," for d in deps(n, i))
        if g(i):
            out.append(f"#[injectable] pub struct S{i}<T: Kind> {{{fields} #[inject(default = {i})] v: u64,"
                       " k: std::marker::PhantomData<T> }")
        else:
            out.append(f"#[injectable] pub struct S{i} {{{fields} #[inject(default = {i})] v: u64 }}")
    out.append("container! {")
    out.append("    pub struct App {")
    for i in range(n):
        word = "singleton" if s(i) else "transient"
        if g(i) and shape == "generic":
            out.append(f"        {word}<T: Kind> S{i}<T>;")
        else:
            out.append(f"        {word} {name(i)};")
    out.append("    }")
    out.append("}")
    out.append("pub async fn run(app: &App) -> injectq::Result<u64> {")
    out.append("    let mut sum = 0;")
    out += [f"    sum += app.resolve::<{ty(i)}>().await?.v;" for i in top(n)]
    out += ["    Ok(sum)", "}"]
    out += MAIN.format(container="App::new()", unwrap=".unwrap()").splitlines()
    return "\n".join(out) + "\n"


def dill(shape, n):
    s = lambda i: is_singleton(shape, i)
    ty = lambda d: f"Arc<S{d}>" if s(d) else f"S{d}"
    out = ["#![allow(dead_code)]", "use std::sync::Arc;", "use dill::Component;", ""]
    for i in range(n):
        fields = "".join(f" d{d}: {ty(d)}," for d in deps(n, i))
        scope = "#[dill::scope(dill::Singleton)] " if s(i) else "#[derive(Clone)] "
        out.append(f"#[dill::component] {scope}pub struct S{i} {{{fields} v: u64 }}")
    out.append("pub fn catalog() -> dill::Catalog {")
    out.append("    dill::Catalog::builder()")
    out += [f"        .add_builder(S{i}::builder().with_v({i}))" for i in range(n)]
    out += ["        .build()", "}"]
    out.append("pub async fn run(cat: &dill::Catalog) -> u64 {")
    out.append("    let mut sum = 0;")
    out += [f"    sum += cat.get_one::<S{i}>().unwrap().v;" for i in top(n)]
    out += ["    sum", "}"]
    out += MAIN.format(container="catalog()", unwrap="").splitlines()
    return "\n".join(out) + "\n"


# the chains of `--deep`: singletons, and transients resolved from a scope and from the root
DEEP_KINDS = ["singleton", "transient", "transient-from-root"]


def deep(variant, kind, depth):
    """A chain `depth` deep: S0 needs S1, which needs S2, ...: all singletons or all transients,
    wired by injectq or by hand (a tokio `OnceCell` per singleton; an `async fn` per transient)."""
    singleton = kind == "singleton"
    ty = (lambda d: f"Arc<S{d}>") if singleton else (lambda d: f"S{d}")
    out = ["#![allow(dead_code)]", "use std::sync::Arc;", ""]
    if variant == "hand":
        out.insert(2, "use tokio::sync::OnceCell;")
        for i in range(depth):
            field = f" next: {ty(i + 1)}," if i + 1 < depth else ""
            out.append(f"pub struct S{i} {{{field} v: u64 }}")
        out.append("#[derive(Default)] pub struct Container {")
        out += [f"    s{i}: OnceCell<Arc<S{i}>>," for i in range(depth) if singleton]
        out.append("}")
        out.append("impl Container {")
        for i in range(depth):
            get = "get" if singleton else "make"
            args = f" next: self.{get}{i + 1}().await," if i + 1 < depth else ""
            build = f"S{i} {{{args} v: {i} }}"
            if singleton:
                out.append(f"    pub async fn get{i}(&self) -> Arc<S{i}> {{")
                out.append(f"        self.s{i}.get_or_init(|| async {{ Arc::new({build}) }}).await.clone()")
                out.append("    }")
            else:
                out.append(f"    pub async fn make{i}(&self) -> S{i} {{ {build} }}")
        out.append("}")
        out.append(f"pub async fn run(c: &Container) -> u64 {{ c.{'get' if singleton else 'make'}0().await.v }}")
        out += MAIN.format(container="Container::default()", unwrap="").splitlines()
        return "\n".join(out) + "\n"
    out.insert(2, "use injectq::{container, injectable};")
    for i in range(depth):
        field = f" next: {ty(i + 1)}," if i + 1 < depth else ""
        out.append(f"#[injectable] pub struct S{i} {{{field} #[inject(default = {i})] v: u64 }}")
    out.append("container! {")
    out.append("    pub struct App {")
    out += [f"        {'singleton' if singleton else 'transient'} S{i};" for i in range(depth)]
    out += ["    }", "}"]
    at = "app.create_scope()" if kind == "transient" else "app"
    out.append(f"pub async fn run(app: &App) -> injectq::Result<u64> {{ Ok({at}.resolve::<{ty(0)}>().await?.v) }}")
    out += MAIN.format(container="App::new()", unwrap=".unwrap()").splitlines()
    return "\n".join(out) + "\n"


def compiles(variant, kind, depth):
    """Whether the chain `depth` deep passes `cargo check` with the default `recursion_limit`."""
    name = f"gen-deep-{variant}-{kind}-{depth}"
    path = write_crate(name, deep(variant, kind, depth), DEPENDENCY[variant])
    manifest = ["--manifest-path", os.path.join(path, "Cargo.toml")]
    done = subprocess.run(["cargo", "check", "--quiet", *manifest], env=env(), capture_output=True)
    shutil.rmtree(path)
    return done.returncode == 0


def deepest(variant, kind, most):
    """The deepest chain (up to `most`) that compiles, by bisection."""
    low, high = 1, most + 1  # compiles at `low`; fails at `high`, or `high` is past `most`
    if compiles(variant, kind, most):
        return most
    high = most
    while high - low > 1:
        mid = (low + high) // 2
        if compiles(variant, kind, mid):
            low = mid
        else:
            high = mid
    return low


DEPENDENCY = {
    "hand": "",
    "injectq": f'injectq = {{ path = "{INJECTQ}" }}',
    "dill": 'dill = "0.17"',
}


def write_crate(name, source, dependency):
    path = os.path.join(ROOT, name)
    os.makedirs(os.path.join(path, "src"), exist_ok=True)
    with open(os.path.join(path, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
                f'[workspace]\n\n[dependencies]\n{dependency}\n'
                'tokio = { version = "1", features = ["sync", "rt"] }\n')
    main = os.path.join(path, "src", "main.rs")
    old = open(main).read() if os.path.exists(main) else None
    if old != source:
        with open(main, "w") as f:
            f.write(source)
    return path


def env(extra=None):
    e = dict(os.environ, CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=os.path.join(ROOT, "target"))
    e.update(extra or {})
    return e


def cargo(verb, path, extra_env=None, release=True, rustc_args=None):
    """Runs `cargo VERB` (build, check, or rustc) on the crate at `path`; returns seconds and
    rustc's peak memory (MB), measured with /usr/bin/time -v."""
    manifest = ["--manifest-path", os.path.join(path, "Cargo.toml")]
    profile = ["--release"] if release else []
    command = ["cargo", verb, "--quiet", *profile, *manifest]
    if rustc_args:
        command += ["--", *rustc_args]
    timing = ["/usr/bin/time", "-v"] if os.path.exists("/usr/bin/time") else []
    start = time.perf_counter()
    done = subprocess.run(timing + command, env=env(extra_env), stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-6000:])
        return None, None
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return elapsed, (int(peak.group(1)) / 1024 if peak else None)


def clean(path, name, release):
    subprocess.run(["cargo", "clean", "--quiet", *(["--release"] if release else []), "-p", name,
                    "--manifest-path", os.path.join(path, "Cargo.toml")], check=True, env=env())


def timed_with_dependencies(path, name, verb, reps):
    """`cargo verb` from nothing: the crate and every dependency (injectq, its macros and syn, or
    tokio alone by hand), in a target directory of its own, emptied before each run."""
    release = verb == "build"
    target = os.path.join(ROOT, f"target-fresh-{name}")
    times = []
    for _ in range(reps):
        shutil.rmtree(target, ignore_errors=True)
        seconds, _ = cargo(verb, path, extra_env={"CARGO_TARGET_DIR": target}, release=release)
        if seconds is None:
            return None
        times.append(seconds)
    shutil.rmtree(target, ignore_errors=True)
    return statistics.median(times)


def timed(path, name, verb, reps):
    release = verb == "build"
    if cargo(verb, path, release=release)[0] is None:  # dependencies, once (and a first check)
        return None, None
    times, peaks = [], []
    for _ in range(reps):
        clean(path, name, release)
        seconds, peak = cargo(verb, path, release=release)
        if seconds is None:
            return None, None
        times.append(seconds)
        peaks.append(peak or 0)
    return statistics.median(times), max(peaks)


# rustc's passes (-Z time-passes), in the order they run; `type_check_crate` includes
# `coherence_checking`, which includes the well-formedness check of every item
PASSES = [
    ("expand", "expand_crate"),
    ("resolve", "resolve_crate"),
    ("type check", "type_check_crate"),
    ("of which coherence and well-formedness", "coherence_checking"),
    ("borrow check", "MIR_borrow_checking"),
    ("codegen", "codegen_crate"),
    ("LLVM", "LLVM_passes"),
    ("link", "link"),
    ("total", "total"),
]

# what the self-profile adds (only with measureme's `summarize` on PATH): the queries that type
# checking and trait selection spend their time in, by self time
QUERIES = ["typeck", "mir_borrowck", "evaluate_obligation", "type_op_prove_predicate", "check_well_formed",
           "specialization_graph_of", "expand_proc_macro"]


def profile(path, name, verb):
    """rustc's passes for one clean `verb` (check or build) of the crate, in seconds."""
    release = verb == "build"
    clean(path, name, release)
    manifest = ["--manifest-path", os.path.join(path, "Cargo.toml")]
    profile_flag = ["--release"] if release else ["--profile", "check"]
    done = subprocess.run(["cargo", "rustc", "--quiet", *profile_flag, *manifest, "--", "-Z", "time-passes"],
                          env=env({"RUSTC_BOOTSTRAP": "1"}), capture_output=True, text=True)
    passes = {}
    for line in done.stderr.splitlines():
        m = re.match(r"time:\s+([\d.]+);.*\s(\S+)$", line)
        if m:
            passes[m.group(2)] = passes.get(m.group(2), 0) + float(m.group(1))
    phases = {label: passes.get(key, 0.0) for label, key in PASSES}
    if shutil.which("summarize"):
        phases.update(queries(path, name, release))
    return phases


def queries(path, name, release):
    out_dir = os.path.join(ROOT, "profiles", name)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    clean(path, name, release)
    manifest = ["--manifest-path", os.path.join(path, "Cargo.toml")]
    subprocess.run(["cargo", "rustc", "--quiet", "--profile", "check", *manifest, "--", f"-Zself-profile={out_dir}"],
                   env=env({"RUSTC_BOOTSTRAP": "1"}), capture_output=True)
    files = [f for f in os.listdir(out_dir) if f.endswith(".mm_profdata")]
    if not files:
        return {}
    summary = subprocess.run(["summarize", "summarize", os.path.join(out_dir, files[0])], capture_output=True,
                             text=True).stdout
    found = {}
    for line in summary.splitlines():
        cells = [c.strip(" .") for c in line.split("|")]
        if len(cells) > 3 and cells[1] in QUERIES:
            seconds = parse_duration(cells[2])
            if seconds is not None:
                found[f"query {cells[1]}"] = seconds
    return found


def parse_duration(text):
    m = re.match(r"([\d.]+)(ns|µs|us|ms|s)$", text)
    if not m:
        return None
    scale = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}[m.group(2)]
    return float(m.group(1)) * scale


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 500])
    parser.add_argument("--shapes", nargs="+", default=["singleton", "transient", "mixed"])
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--verbs", nargs="+", default=["build", "check"])
    parser.add_argument("--peers", action="store_true", help="also dill")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--deep", type=int, default=0)
    parser.add_argument("--with-dependencies", action="store_true",
                        help="also each build from nothing, dependencies included")
    args = parser.parse_args()

    variants = ["hand", "injectq"] + (["dill"] if args.peers else [])
    generate = {"hand": hand, "injectq": injectq, "dill": dill}
    for shape in args.shapes:
        for n in args.sizes:
            # `generic` and `written` are injectq's two ways of the same graph; `hand` is once
            for variant in (["injectq"] if shape in ("generic", "written") else variants):
                name = f"gen-{variant}-{shape}-{n}"
                path = write_crate(name, generate[variant](shape, n), DEPENDENCY[variant])
                for verb in args.verbs:
                    seconds, peak = timed(path, name, verb, args.reps)
                    if seconds is None:
                        print(f"{verb}_{variant}_{shape}_{n} failed", flush=True)
                        continue
                    print(f"{verb}_{variant}_{shape}_{n} {seconds:.2f}", flush=True)
                    if args.with_dependencies:
                        fresh = timed_with_dependencies(path, name, verb, args.reps)
                        print(f"fresh_{verb}_{variant}_{shape}_{n} {fresh:.2f}", flush=True)
                    if verb == "build":
                        print(f"peak_mb_{variant}_{shape}_{n} {peak:.0f}", flush=True)
                if args.profile and variant == "injectq":
                    for verb in args.verbs:
                        for phase, seconds in profile(path, name, verb).items():
                            print(f"phase_{verb}_{shape}_{n}_{phase.replace(' ', '_')} {seconds:.2f}", flush=True)
    for kind in DEEP_KINDS if args.deep else []:
        for variant in ["hand", "injectq"]:
            print(f"deepest_{variant}_{kind} {deepest(variant, kind, args.deep)}", flush=True)

if __name__ == "__main__":
    main()
