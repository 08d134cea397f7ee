#!/usr/bin/env python3
"""Writes a random network driven by Poisson sources in the snn dialect, for
the hardware-in-the-loop suite (docs/rtl-backend.md): a PoissonSource with
one rate for all its neurons, one with a rate per neuron (some zero, some
integral means, some of several events a step so that counts above 1
reach the targets as count x weight), an input Source, a LIF population
that spans several snncore cores with sparse projections from both Poisson
sources (per-synapse delays 0..5 steps) and a recurrent one, a CubaLIF
population fed by the per-neuron source after a delay, and a leaky
readout. Usage: poisson_net.py SEED OUT.mlir [SCALE]"""
import random
import sys

from mlir_text import dense, full, sparse, spread, vec


def main():
    seed = int(sys.argv[1])
    out = sys.argv[2]
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    rng = random.Random(seed)
    dt = 1e-4
    n_p = int(rng.randint(60, 200) * scale)   # shared rate
    n_q = int(rng.randint(40, 120) * scale)   # a rate per neuron
    n_in = rng.randint(4, 12)
    n_a = int(rng.randint(200, 330) * scale)
    n_b = int(rng.randint(40, 120) * scale)
    n_out = rng.randint(3, 6)


    # Rates in Hz at dt = 0.1 ms: lambda = rate * dt.
    shared = rng.choice([150.0, 400.0, 1000.0, 2500.0])
    rates = []
    for _ in range(n_q):
        r = rng.random()
        if r < 0.1:
            rates.append(0.0)
        elif r < 0.2:
            rates.append(float(rng.randint(1, 4)) / dt)  # integral mean
        elif r < 0.4:
            rates.append(rng.choice([2e4, 5e4, 1.2e5]))  # several a step
        else:
            rates.append(rng.choice([100.0, 300.0, 800.0, 3000.0]))

    s = []
    s.append("// Poisson-driven network, seed %d (test/rtl/poisson_net.py)\n"
             % seed)
    s.append('snn.network @poisson%d attributes {nir_version = "1.0.0"} {\n'
             % seed)
    s.append('  %%input = snn.input "input" : tensor<%dxf32>\n' % n_in)
    s.append('  %%bg = snn.poisson_source "bg"() {rate = %s, seed = %d : '
             'i64} : tensor<%dxf32>\n' % (full(n_p, shared), 1000 + seed,
                                          n_p))
    s.append('  %%mix = snn.poisson_source "mix"() {rate = dense<%s> : '
             'tensor<%dxf32>, seed = %d : i64} : tensor<%dxf32>\n' %
             (vec(rates, "%.1f"), n_q, 77 * seed + 5, n_q))
    s.append(sparse("pa", "bg", n_p, n_a, rng, 6 * n_a, 0.05, 0.5, 5, dt))
    s.append(sparse("qa", "mix", n_q, n_a, rng, 3 * n_a, -0.2, 0.3, 3, dt))
    s.append('  %%fa = snn.linear "fa"(%%input) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_a, n_in, rng, 1.0, 0.3), n_a, n_in, n_in, n_a))
    s.append('  %%a = snn.lif "a"(%%pa, %%qa, %%fa, %%raa) {tau = %s, r = %s, '
             'v_leak = %s, v_threshold = %s, v_reset = %s} : tensor<%dxf32>\n'
             % (spread(n_a, 5e-4, 3e-3, rng), full(n_a, 10.0), full(n_a, 0.0),
                spread(n_a, 0.8, 2.0, rng), full(n_a, 0.0), n_a))
    s.append(sparse("raa", "a", n_a, n_a, rng, 3 * n_a, -0.4, 0.4, 4, dt))
    s.append('  %%dq = snn.delay "dq"(%%mix) {delay = %s} : tensor<%dxf32>\n'
             % (full(n_q, 2 * dt), n_q))
    s.append('  %%fb = snn.linear "fb"(%%dq) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_b, n_q, rng, 0.4, 0.2), n_b, n_q, n_q, n_b))
    s.append('  %%gb = snn.linear "gb"(%%a) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_b, n_a, rng, 0.6, 0.05), n_b, n_a, n_a, n_b))
    s.append('  %%b = snn.cuba_lif "b"(%%fb, %%gb) {tau_syn = %s, tau_mem = '
             '%s, r = %s, v_leak = %s, v_threshold = %s, v_reset = %s, '
             'w_in = %s} : tensor<%dxf32>\n' %
             (spread(n_b, 2e-4, 8e-4, rng), spread(n_b, 1e-3, 4e-3, rng),
              full(n_b, 10.0), full(n_b, 0.0), spread(n_b, 0.6, 1.2, rng),
              full(n_b, 0.0), full(n_b, 2.0), n_b))
    s.append('  %%fo = snn.linear "fo"(%%b) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_out, n_b, rng, 0.5, 0.3), n_out, n_b, n_b, n_out))
    s.append('  %%readout = snn.li "readout"(%%fo) {tau = %s, r = %s, '
             'v_leak = %s} : tensor<%dxf32>\n' %
             (full(n_out, 5e-3), full(n_out, 1.0), full(n_out, 0.0), n_out))
    s.append('  snn.output "spikes"(%%a) : tensor<%dxf32>\n' % n_a)
    s.append('  snn.output "output"(%%readout) : tensor<%dxf32>\n' % n_out)
    s.append("}\n")
    with open(out, "w") as f:
        f.write("".join(s))


if __name__ == "__main__":
    main()
