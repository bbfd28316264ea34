#!/usr/bin/env python3
"""Prints the table of BENCHMARKS.md from criterion's estimates, the sizes and the build times."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
CRITERION = os.path.join(HERE, "target", "criterion")


def mean(group, contender):
    path = os.path.join(CRITERION, group, contender, "new", "estimates.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["mean"]["point_estimate"]


FAILED = set()  # the keys whose build failed


def pairs(name):
    path = os.path.join(HERE, "target", name)
    if not os.path.exists(path):
        return {}
    found = {}
    with open(path) as f:
        for key, value in (line.split() for line in f if line.strip()):
            if value == "failed":
                FAILED.add(key)
            else:
                found[key] = float(value)
    return found


def human(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns:.1f} ns"


SCENARIOS = [
    ("singleton", "resolve a created singleton as `Arc` (by hand: an `Arc` clone)", 1.1),
    ("transient16", "build a 16-object transient graph by value (by hand: the struct literals)", 1.2),
    ("scope3", "open a scope, resolve 3 scoped services, dispose it", 2.0),
    ("cold_chain50", "cold: a new container creates 50 chained singletons (by hand: tokio `OnceCell`s)", 1.5),
    ("startup10", "start-up: 10 async singletons of 50 ms, 3 deep", 1.1),
]
# the plain harness, no executor: (group, contender, label, target)
PLAIN = [
    ("singleton", "injectq_poll_once", "`resolve::<Arc<Svc>>()` polled once, against an `Arc` clone", 1.2),
    ("singleton", "injectq_get", "`get::<Arc<Svc>>()`, against an `Arc` clone", None),
    ("singleton", "hand_oncecell", "reference: a lazy tokio `OnceCell` by hand, polled once", None),
    ("singleton", "hand_async", "reference: an `Arc` clone returned by an `async` block that could fail, polled once", None),
    ("transient16", "injectq_poll_once", "`resolve::<Root>()` polled once, against the struct literals", 1.5),
    ("transient16", "injectq_get", "`get::<Root>()`, against the struct literals", 1.1),
    ("transient16", "hand_async", "reference: the literals returned by an `async` block that could fail, polled once", None),
    ("cold_chain50", "injectq_poll_once", "cold chain of 50, polled once, against `OnceCell`s polled once", 1.5),
    ("cold_chain50", "injectq_get", "cold chain of 50 by `get`, against `OnceCell`s polled once", None),
]
PEERS = ["nject", "shaku", "dill"]

print("| scenario | hand-written | injectq | injectq / hand | target | met | " + " | ".join(f"{p} / hand" for p in PEERS) + " |")
print("|---|---|---|---|---|---|" + "---|" * len(PEERS))
for group, label, target in SCENARIOS:
    hand, injectq = mean(group, "hand"), mean(group, "injectq")
    if hand is None or injectq is None:
        continue
    ratio = injectq / hand
    peers = []
    for p in PEERS:
        m = mean(group, p)
        peers.append(f"{m / hand:.2f}x" if m is not None else "cannot express it")
    print(f"| {label} | {human(hand)} | {human(injectq)} | **{ratio:.2f}x** | <= {target}x | "
          f"{'yes' if ratio <= target else 'no'} | " + " | ".join(peers) + " |")
print()
print("| plain harness (no executor) | hand-written | injectq | injectq / hand | target | met |")
print("|---|---|---|---|---|---|")
for group, contender, label, target in PLAIN:
    hand, measured = mean(group, "hand_plain"), mean(group, contender)
    if hand is None or measured is None:
        continue
    ratio = measured / hand
    met = "-" if target is None else ("yes" if ratio <= target else "no")
    shown = "-" if target is None else f"<= {target}x"
    print(f"| {label} | {human(hand)} | {human(measured)} | **{ratio:.2f}x** | {shown} | {met} |")
build = pairs("build_time.txt")
SHAPES = [("singleton", "all singleton"), ("transient", "all transient"), ("mixed", "mixed (every third a singleton)")]
SIZES = sorted({int(k.rsplit("_", 1)[1]) for k in build if k.startswith("build_injectq_")})
BYVALUE = "transient"  # the hand-written graph by value: the reference of every shape


def cell(key, fmt="{:.2f} s"):
    return fmt.format(build[key]) if key in build else "-"


def ratio(a, b):
    return f"{build[a] / build[b]:.2f}x" if a in build and b in build else "-"


if SIZES:
    print()
    print("| graph | services | build: by hand | injectq | injectq / hand | injectq / hand by value "
          "| check: by hand | injectq | injectq / hand | rustc peak (injectq build) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for shape, label in SHAPES:
        for n in SIZES:
            b, c = f"build_{{}}_{shape}_{n}", f"check_{{}}_{shape}_{n}"
            if b.format("injectq") not in build:
                continue
            print(f"| {label} | {n} | {cell(b.format('hand'))} | {cell(b.format('injectq'))} | "
                  f"**{ratio(b.format('injectq'), b.format('hand'))}** | "
                  f"{ratio(b.format('injectq'), f'build_hand_{BYVALUE}_{n}')} | "
                  f"{cell(c.format('hand'))} | {cell(c.format('injectq'))} | "
                  f"{ratio(c.format('injectq'), c.format('hand'))} | "
                  f"{cell(f'peak_mb_injectq_{shape}_{n}', '{:.0f} MB')} |")
    print()
    steps = list(zip(SIZES, SIZES[1:]))
    print("| growth | " + " | ".join(f"{a} -> {b} ({b / a:.1f}x the services)" for a, b in steps) + " |")
    print("|---|" + "---|" * len(steps))
    for shape, label in SHAPES:
        for verb in ("build", "check"):
            for variant, who in (("injectq", "injectq"), ("hand", "by hand")):
                row = [ratio(f"{verb}_{variant}_{shape}_{b}", f"{verb}_{variant}_{shape}_{a}") for a, b in steps]
                if any(r != "-" for r in row):
                    print(f"| {label}, {verb}, {who} | " + " | ".join(row) + " |")
    PHASES = ["expand", "type_check", "of_which_coherence_and_well-formedness", "borrow_check", "codegen", "LLVM",
              "total"]
    rows = [(verb, shape, n) for verb in ("check", "build") for shape, _ in SHAPES for n in SIZES
            if f"phase_{verb}_{shape}_{n}_total" in build]
    if rows:
        print()
        print("| injectq, rustc's passes (s) | " + " | ".join(p.replace("_", " ") for p in PHASES) + " |")
        print("|---|" + "---|" * len(PHASES))
        for verb, shape, n in rows:
            print(f"| {verb}, {shape}, {n} | " + " | ".join(cell(f"phase_{verb}_{shape}_{n}_{p}", "{:.2f}")
                                                            for p in PHASES) + " |")
    deep = {k: v for k, v in build.items() if k.startswith("deepest_")}
    if deep:
        print()
        print("| deepest chain that compiles with the default `recursion_limit` | by hand | injectq |")
        print("|---|---|---|")
        for kind, label in [("singleton", "singletons (`Arc` fields)"), ("transient", "transients by value, from a scope"),
                            ("transient-from-root", "transients by value, from the root")]:
            hand, injectq = deep.get(f"deepest_hand_{kind}"), deep.get(f"deepest_injectq_{kind}")
            if injectq is not None:
                print(f"| {label} | {'-' if hand is None else int(hand)} | {int(injectq)} |")
sizes = pairs("sizes.txt")
if sizes:
    print()
    print("| memory | bytes |")
    print("|---|---|")
    for key, label in [
        ("future_singleton", "`resolve::<Arc<Svc>>()` future (a singleton)"),
        ("future_transient16", "`resolve::<Root>()` future (the 16-object transient graph)"),
        ("future_chain50", "`resolve::<T00>()` future (a 50-deep chain of transients)"),
        ("scope_bytes", "a scope, created and dropped"),
        ("scope3_cycle_bytes", "a scope with 3 scoped services, created and disposed"),
        ("hand_scope3_bytes", "the hand-written mirror: 3 `Arc`s"),
        ("cold_chain50_bytes", "cold start: a new container creates 50 chained singletons"),
    ]:
        if key in sizes:
            print(f"| {label} | {int(sizes[key])} |")
    if "cold_chain50_allocations" in sizes:
        count = int(sizes["cold_chain50_allocations"])
        hand = sizes.get("hand_cold_chain50_allocations")
        print()
        print(f"That cold start makes {count} allocations, {count / 50:.2f} per singleton"
              + (f"; by hand with tokio `OnceCell`s, {int(hand)} ({int(sizes['hand_cold_chain50_bytes'])} bytes)"
                 if hand is not None else "") + ". One `Arc` per singleton (50) is the floor.")
awaited, hand, injectq = (mean("transient16", c) for c in ("hand_awaited", "hand", "injectq"))
if None not in (awaited, hand, injectq):
    print()
    print(f"Reference for the transient graph: the same struct literals returned through one `.await` of a "
          f"ready future take {human(awaited)} ({awaited / hand:.2f}x of the plain literals); injectq's "
          f"`resolve::<Root>().await` is {injectq / awaited:.2f}x of that.")
shared, hand, injectq = (mean("scope3", c) for c in ("hand_shared", "hand", "injectq"))
if None not in (shared, hand, injectq):
    print()
    print(f"Reference for the scope: the same three services with a scope's guarantees, written by hand (the "
          f"scope behind an `Arc` holding the root, each service created once under concurrency by tokio's "
          f"`OnceCell`, handed out as an `Arc` clone), take {human(shared)} ({shared / hand:.2f}x of the three "
          f"plain `Arc`s); injectq's scope cycle is {injectq / shared:.2f}x of that.")

instructions = pairs("instructions.txt")
if instructions:
    print()
    print("| instructions per run (callgrind, `instructions.py`) | injectq | by hand | injectq / hand |")
    print("|---|---|---|---|")
    for key, hand_key, label in [
        ("instructions_singleton", "instructions_hand_singleton", "resolve a created singleton as `Arc` (by hand: an `Arc` clone)"),
        ("instructions_singleton_get", "instructions_hand_singleton", "`get` a created singleton as `Arc`"),
        ("instructions_transient16", "instructions_hand_transient16", "build the 16-object transient graph by value (by hand: the literals)"),
        ("instructions_transient16_get", "instructions_hand_transient16", "`get` the 16-object transient graph by value"),
        ("instructions_scope3", None, "open a scope, resolve 3 scoped services, dispose it"),
        ("instructions_cold_chain50", "instructions_hand_cold_chain50", "a new container creates 50 chained singletons (by hand: `OnceCell`s)"),
        ("instructions_scope0", None, "a scope opened and disposed, nothing resolved"),
        ("instructions_scope1", None, "a scope, one scoped service (no disposer)"),
        ("instructions_scope1_disposer", "instructions_hand_scope1_disposer", "a scope, one scoped service with an async disposer (by hand: the `Arc`, its disposal awaited)"),
        ("instructions_scope3", "instructions_hand_scope3", "the scope cycle against three plain `Arc`s"),
        ("instructions_scope3", "instructions_hand_shared_scope3", "the scope cycle against a scope's sharing by hand (`OnceCell`s behind an `Arc`)"),
        ("instructions_axum_injectq", "instructions_axum_hand", "a request through axum's router, in process (by hand: `State`)"),
        ("instructions_axum_injectq_before", "instructions_axum_hand", "the same, `dispose_before_response()`"),
        ("instructions_axum_bare", "instructions_axum_hand", "reference: the route that injects nothing"),
        ("instructions_tonic_injectq", "instructions_tonic_hand", "a unary gRPC call through tonic's service, in process"),
        ("instructions_tonic_bare", "instructions_tonic_hand", "reference: the call that injects nothing"),
    ]:
        if key in instructions:
            hand = instructions.get(hand_key) if hand_key else None
            shown = f"{hand:.0f}" if hand else "-"
            ratio = f"{instructions[key] / hand:.2f}x" if hand else "-"
            print(f"| {label} | {instructions[key]:.0f} | {shown} | {ratio} |")

throughput = pairs("throughput.txt")
if throughput:
    print()
    print("| requests per second | concurrency | bare | by hand | injectq | injectq / hand | injectq / bare "
          "| p99: hand | injectq | / hand | allocations: bare | hand | injectq |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for protocol in ("axum", "tonic"):
        for variant, label in (("injectq", "response first"), ("injectq_before", "disposed before the answer")):
            for n in (32, 128):
                key = lambda who, what: throughput.get(f"{protocol}_{who}_{n}_{what}")
                bare, hand, mine = (key(who, "rps") for who in ("bare", "hand", variant))
                if None in (bare, hand, mine):
                    continue
                p99h, p99 = key("hand", "p99_us"), key(variant, "p99_us")
                print(f"| {protocol}, {label} | {n} | {bare:,.0f} | {hand:,.0f} | {mine:,.0f} | **{mine / hand:.2f}x** "
                      f"| {mine / bare:.2f}x | {p99h:.0f} µs | {p99:.0f} µs | {p99 / p99h:.2f}x "
                      f"| {key('bare', 'allocations'):.0f} | {key('hand', 'allocations'):.0f} "
                      f"| {key(variant, 'allocations'):.0f} |")

latency = pairs("latency.txt")
if latency:
    print()
    print("| a request whose scope holds a service that takes 30 ms to dispose | median | p99 |")
    print("|---|---|---|")
    for key, label in [
        ("latency_plain", "nothing to dispose (reference)"),
        ("latency_after", "`ScopeLayer::new`: the response first, the disposal after"),
        ("latency_before", "`dispose_before_response()`: the response waits for the disposal"),
    ]:
        if f"{key}_median_us" in latency:
            print(f"| {label} | {latency[key + '_median_us']:.0f} µs | {latency[key + '_p99_us']:.0f} µs |")

waiters = pairs("waiters.txt")
if waiters:
    print()
    print("| tasks waiting for one creation | from the root | per waiter | in request scopes | per waiter "
          "| by hand (`OnceCell`) | per waiter |")
    print("|---|---|---|---|---|---|---|")
    for n in sorted({int(k.split("_")[2]) for k in waiters if k.startswith("waiters_")}):
        row = []
        for shape in ("root", "scoped", "hand"):
            key = f"waiters_{shape}_{n}"
            if f"{key}_cold_ms" in waiters:
                row += [f"{waiters[key + '_cold_ms']:.1f} ms", f"{waiters[key + '_cold_ns_each']:.0f} ns"]
            else:
                row += ["-", "-"]
        print(f"| {n:,} | " + " | ".join(row) + " |")
    shut = sorted({int(k.split("_")[2]) for k in waiters if k.startswith("shutdown_open_")})
    if shut:
        print()
        print("| a shutdown with this many scopes still open, each with a disposer | took | per scope |")
        print("|---|---|---|")
        for n in shut:
            print(f"| {n:,} | {waiters[f'shutdown_open_{n}_ms']:.1f} ms | {waiters[f'shutdown_open_{n}_ns_each']:.0f} ns |")

tenants = pairs("tenants.txt")
if tenants:
    print()
    print("| tenants | open a key (its database created) | get a cached key | churn past the maximum (n/2) "
          "| let go at shutdown | by hand: a `Mutex<HashMap>` |")
    print("|---|---|---|---|---|---|")
    for n in sorted({int(k.split("_")[2]) for k in tenants if k.startswith("tenants_open_")}):
        cells = [f"{tenants[f'tenants_{what}_{n}_ns_each']:.0f} ns" for what in ("open", "hit", "churn", "close")]
        cells.append(f"{tenants[f'hand_map_open_{n}_ns_each']:.0f} ns")
        print(f"| {n:,} | " + " | ".join(cells) + " |")
