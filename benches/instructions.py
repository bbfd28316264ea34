#!/usr/bin/env python3
"""Instructions per run of each scenario, counted by callgrind (valgrind): exact where times move.

Each scenario runs at two counts; the difference over the difference in runs is one run's cost,
without the program's start-up. Prints `instructions_<scenario> <count>` lines.

Usage: instructions.py [scenario ...]     (default: every scenario of src/bin/instructions.rs)
"""
import os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = [
    "singleton", "singleton_get", "hand_singleton", "transient16", "transient16_get", "hand_transient16", "scope3",
    "nested_scope3", "nested_outer3", "decorated_singleton", "generic_singleton", "written_out_singleton",
    "cold_chain50", "hand_cold_chain50", "singleton_poll_once", "hand_async_singleton", "transient16_poll_once",
    "hand_async_transient16", "hand_scope3", "hand_shared_scope3", "scope0", "scope1", "scope1_disposer",
    "hand_scope1_disposer", "axum_bare", "axum_hand", "axum_injectq", "axum_injectq_before", "tonic_bare", "tonic_hand", "tonic_injectq",
] + [
    # the transient chains by value, at several depths (issue 28)
    name for depth in (16, 32, 50, 100) for name in (f"chain{depth}_poll_once", f"chain{depth}_get", f"hand_chain{depth}")
]
LOW, HIGH = 100, 1100


def count(binary, scenario, n):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, scenario, str(n)],
                       check=True, capture_output=True)
        with open(out) as f:
            return int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "instructions"], cwd=HERE, check=True)
    binary = os.path.join(HERE, "target", "release", "instructions")
    for scenario in sys.argv[1:] or SCENARIOS:
        per_run = (count(binary, scenario, HIGH) - count(binary, scenario, LOW)) / (HIGH - LOW)
        print(f"instructions_{scenario} {per_run:.0f}", flush=True)


if __name__ == "__main__":
    main()
