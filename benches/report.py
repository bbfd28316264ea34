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


def pairs(name):
    path = os.path.join(HERE, "target", name)
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {k: float(v) for k, v in (line.split() for line in f if line.strip())}


def human(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns:.1f} ns"


SCENARIOS = [
    ("singleton", "resolve a created singleton as `Arc`", 1.1),
    ("transient16", "build a 16-object transient graph by value", 1.2),
    ("scope3", "open a scope, resolve 3 scoped services, dispose it", 2.0),
    ("startup10", "start-up: 10 async singletons of 50 ms, 3 deep", 1.1),
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
build = pairs("build_time.txt")
if build:
    ratio = build["build_injectq"] / build["build_hand"]
    # nject has no lazily created singletons and shaku would need a trait per service: only dill
    # builds the generated graph (benches/build_time.py)
    peers = [f"{build[f'build_{p}'] / build['build_hand']:.2f}x" if f"build_{p}" in build else "not generated"
             for p in PEERS]
    print(f"| clean release build, 200 generated services | {build['build_hand']:.2f} s | "
          f"{build['build_injectq']:.2f} s | **{ratio:.2f}x** | <= 2x | {'yes' if ratio <= 2 else 'no'} | "
          + " | ".join(peers) + " |")
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
    ]:
        if key in sizes:
            print(f"| {label} | {int(sizes[key])} |")
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
