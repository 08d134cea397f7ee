"""Mapped and unmapped artifacts of random networks give the same spikes.

Usage: mapped_vs_unmapped.py SNNC SNN_RUN WORKDIR SEEDS

For each seed: a random recurrent network (64 inputs, 100-400 LIF neurons,
random connection probability, normal weights, a random delay of 0-3
steps) is compiled in fixed mode twice, once mapped onto snncore, and both
artifacts run on the CPU for 150 steps with the same random input; their
spike rasters must be identical and non-empty. Prints one line per seed and
"ok: N networks" at the end, or what differed.
"""
import os
import subprocess
import sys

import numpy as np

NET = """snn.network @r{seed} {{
  %x = snn.input "x" : tensor<64xf32>
  %in = snn.connect "in"(%x) {{rule = "fixed_probability", p = {p_in} : f64, weight = {{dist = "constant", value = {w_in} : f64}}, seed = {s1} : i64}} : tensor<64xf32> -> tensor<{n}xf32>
  %rec = snn.connect "rec"(%exc) {{rule = "fixed_probability", p = {p_rec} : f64, weight = {{dist = "normal", mean = {w_rec} : f64, std = {w_std} : f64}}, delay = {{dist = "constant", value = {delay} : f64}}, seed = {s2} : i64}} : tensor<{n}xf32>
  %exc = snn.lif "exc"(%in, %rec) {{tau = dense<2.0e-2> : tensor<{n}xf32>, r = dense<1.0> : tensor<{n}xf32>, v_leak = dense<0.0> : tensor<{n}xf32>, v_threshold = dense<1.0> : tensor<{n}xf32>, v_reset = dense<0.0> : tensor<{n}xf32>}} : tensor<{n}xf32>
  snn.output "out"(%exc) : tensor<{n}xf32>
}}
"""


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        print("failed:", " ".join(cmd), r.stderr.strip())
        sys.exit(1)


def main():
    snnc, snn_run, work, seeds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    os.makedirs(work, exist_ok=True)
    for seed in range(1, seeds + 1):
        rng = np.random.RandomState(seed)
        n = int(rng.randint(100, 400))
        net = NET.format(seed=seed, n=n, p_in=round(rng.uniform(0.05, 0.3), 3),
                         w_in=round(rng.uniform(0.8, 1.6), 3),
                         p_rec=round(rng.uniform(0.05, 0.15), 3),
                         w_rec=round(rng.uniform(-0.05, 0.15), 3),
                         w_std=round(rng.uniform(0.01, 0.05), 3),
                         delay=int(rng.randint(0, 4)) * 1e-4,
                         s1=seed * 2 + 1, s2=seed * 2 + 2)
        base = os.path.join(work, "r%d" % seed)
        with open(base + ".mlir", "w") as f:
            f.write(net)
        x = (rng.rand(150, 64) < 0.2).astype(np.float32)
        np.save(base + ".in.npy", x)
        outs = []
        for tag, extra in (("plain", []), ("mapped", ["--target", "snncore"])):
            art = "%s.%s.snnb" % (base, tag)
            run([snnc, base + ".mlir", "--mode", "fixed", "--profile", "snntorch",
                 "-o", art] + extra)
            rec = "%s.%s.npy" % (base, tag)
            run([snn_run, art, "--input", "x=%s.in.npy" % base, "--steps", "150",
                 "--record", "out=" + rec, "--quiet"])
            outs.append(np.load(rec))
        a, b = outs
        if a.shape != b.shape or not np.array_equal(a, b):
            diff = np.argwhere(a != b)
            print("seed %d: mapped and unmapped differ first at (step, neuron) %s"
                  % (seed, tuple(diff[0]) if len(diff) else "shape"))
            return 1
        if a.sum() == 0:
            print("seed %d: no spikes, nothing compared" % seed)
            return 1
        print("seed %d: %d neurons, %d spikes, identical" % (seed, n, int(a.sum())))
    print("ok: %d networks" % seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
