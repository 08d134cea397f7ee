#!/usr/bin/env python3
"""The Potjans-Diesmann microcircuit end to end: compile docs/examples/pd14.mlir
(connection rules expanded by the runtime at load), run it, and check each
population's mean rate after the start-up transient against the full-scale
rates published with NEST's reference implementation (network_params.py of
its Potjans_2014 example, 'full_mean_rates'; docs/examples.md).

    pd14_rates.py SNNC SNN_RUN WORKDIR [--steps N] [--threads T] [--tolerance F]

Exit 0 when every rate is within the tolerance (a factor, default 0.25: the
rate must lie in [published * (1 - f), published * (1 + f)]), 1 otherwise.
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np

POPS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
SIZES = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
PUBLISHED = [0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523]
DT = 1e-4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("snnc")
    ap.add_argument("snn_run")
    ap.add_argument("workdir")
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--transient", type=int, default=1000,
                    help="steps left out of the rates (start-up)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tolerance", type=float, default=0.25)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    model = os.path.join(here, "..", "..", "docs", "examples", "pd14.mlir")
    os.makedirs(a.workdir, exist_ok=True)
    art = os.path.join(a.workdir, "pd14.snnb")
    t0 = time.time()
    subprocess.run([a.snnc, model, "-o", art, "--report"], check=True,
                   stderr=subprocess.DEVNULL)
    t1 = time.time()
    cmd = [a.snn_run, art, "--steps", str(a.steps), "--threads",
           str(a.threads), "--quiet"]
    for p in POPS:
        cmd += ["--record-events", f"{p}={os.path.join(a.workdir, p + '.npy')}"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    t2 = time.time()
    window = (a.steps - a.transient) * DT
    bad = 0
    print(f"compile {t1 - t0:.1f} s, load + run of {a.steps * DT:.2f} s "
          f"{t2 - t1:.1f} s; rates over the last {window:.2f} s:")
    print(f"{'population':>10} {'rate Hz':>8} {'published':>9}")
    for p, n, ref in zip(POPS, SIZES, PUBLISHED):
        ev = np.load(os.path.join(a.workdir, p + ".npy"))
        k = int(np.count_nonzero(ev[:, 0] >= a.transient))
        rate = k / (n * window)
        ok = ref * (1 - a.tolerance) <= rate <= ref * (1 + a.tolerance)
        bad += not ok
        print(f"{p:>10} {rate:8.3f} {ref:9.3f} {'ok' if ok else 'OUT OF RANGE'}")
    if bad:
        print(f"pd14: {bad} of 8 rates outside +-{a.tolerance:.0%} of the "
              "published ones", file=sys.stderr)
        return 1
    print(f"pd14: all 8 rates within +-{a.tolerance:.0%} of the published ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
