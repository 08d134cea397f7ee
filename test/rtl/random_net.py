#!/usr/bin/env python3
"""Writes a random recurrent spiking network in the snn dialect, for the
hardware-in-the-loop suite (docs/rtl-backend.md): an input, a LIF
population and a current-based LIF population large enough to span
several snncore cores, dense and sparse projections, recurrent sparse
projections with per-synapse delays, a per-neuron NIR-style delay, a
leaky-integrator readout, and a Threshold -> IF branch with CubaLI and
Integrator readouts (every kind the cores run). Usage: random_net.py SEED OUT.mlir [SCALE]"""
import random
import sys

from mlir_text import dense, full, sparse, spread, vec


def main():
    seed = int(sys.argv[1])
    out = sys.argv[2]
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    rng = random.Random(seed)
    dt = 1e-4
    n_in = rng.randint(8, 24)
    n_a = int(rng.randint(180, 320) * scale)
    n_b = int(rng.randint(60, 200) * scale)
    n_out = rng.randint(3, 8)


    s = []
    s.append("// Random recurrent network, seed %d (test/rtl/random_net.py)\n"
             % seed)
    s.append('snn.network @random%d attributes {nir_version = "1.0.0"} {\n'
             % seed)
    s.append('  %%input = snn.input "input" : tensor<%dxf32>\n' % n_in)
    s.append('  %%fa = snn.linear "fa"(%%input) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_a, n_in, rng, 1.2, 0.3), n_a, n_in, n_in, n_a))
    s.append('  %%a = snn.lif "a"(%%fa, %%raa, %%rba) {tau = %s, r = %s, '
             'v_leak = %s, v_threshold = %s, v_reset = %s} : tensor<%dxf32>\n'
             % (spread(n_a, 5e-4, 3e-3, rng), full(n_a, 10.0), full(n_a, 0.0),
                spread(n_a, 0.5, 1.5, rng), full(n_a, 0.0), n_a))
    s.append(sparse("raa", "a", n_a, n_a, rng, 4 * n_a, -0.6, 0.6, 6, dt))
    # A per-neuron delay before a dense projection a -> b.
    s.append('  %%da = snn.delay "da"(%%a) {delay = dense<%s> : '
             'tensor<%dxf32>} : tensor<%dxf32>\n' %
             (vec([rng.randint(0, 4) * dt for _ in range(n_a)], "%.3e"), n_a,
              n_a))
    s.append('  %%fb = snn.linear "fb"(%%da) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_b, n_a, rng, 0.8, 0.05), n_b, n_a, n_a, n_b))
    s.append('  %%b = snn.cuba_lif "b"(%%fb) {tau_syn = %s, tau_mem = %s, '
             'r = %s, v_leak = %s, v_threshold = %s, v_reset = %s, '
             'w_in = %s} : tensor<%dxf32>\n' %
             (spread(n_b, 2e-4, 8e-4, rng), spread(n_b, 1e-3, 4e-3, rng),
              full(n_b, 10.0), full(n_b, 0.0), spread(n_b, 0.6, 1.2, rng),
              full(n_b, 0.0), full(n_b, 2.0), n_b))
    s.append(sparse("rba", "b", n_b, n_a, rng, 2 * n_b, -0.8, 0.8, 9, dt))
    s.append('  %%fo = snn.linear "fo"(%%b) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_out, n_b, rng, 0.5, 0.3), n_out, n_b, n_b, n_out))
    s.append('  %%readout = snn.li "readout"(%%fo) {tau = %s, r = %s, '
             'v_leak = %s} : tensor<%dxf32>\n' %
             (full(n_out, 5e-3), full(n_out, 1.0), full(n_out, 0.0), n_out))
    # Every other kind the cores run: b -> Threshold -> IF -> CubaLI and
    # Integrator readouts.
    n_t, n_i = rng.randint(8, 24), rng.randint(8, 24)
    s.append('  %%ft = snn.linear "ft"(%%b) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_t, n_b, rng, 1.0, 0.2), n_t, n_b, n_b, n_t))
    s.append('  %%t = snn.threshold "t"(%%ft) {threshold = %s} : '
             'tensor<%dxf32>\n' % (spread(n_t, 0.1, 0.6, rng), n_t))
    s.append('  %%fi = snn.linear "fi"(%%t) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_i, n_t, rng, 0.6, 0.4), n_i, n_t, n_t, n_i))
    s.append('  %%i = snn.if "i"(%%fi) {r = %s, v_reset = %s, v_threshold = '
             '%s} : tensor<%dxf32>\n' %
             (full(n_i, 1.0), full(n_i, 0.0), spread(n_i, 0.5, 1.0, rng), n_i))
    s.append('  %%fc = snn.linear "fc"(%%i) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_out, n_i, rng, 0.5, 0.5), n_out, n_i, n_i, n_out))
    s.append('  %%cli = snn.cuba_li "cli"(%%fc) {tau_syn = %s, tau_mem = %s, '
             'r = %s, v_leak = %s, w_in = %s} : tensor<%dxf32>\n' %
             (full(n_out, 5e-4), full(n_out, 2e-3), full(n_out, 1.0),
              full(n_out, 0.0), full(n_out, 1.0), n_out))
    s.append('  %%fg = snn.linear "fg"(%%i) {weight = dense<%s> : '
             'tensor<%dx%dxf32>} : tensor<%dxf32> -> tensor<%dxf32>\n' %
             (dense(n_out, n_i, rng, 0.5, 0.5), n_out, n_i, n_i, n_out))
    s.append('  %%acc = snn.integrator "acc"(%%fg) {r = %s} : '
             'tensor<%dxf32>\n' % (full(n_out, 0.1), n_out))
    s.append('  snn.output "spikes"(%%b) : tensor<%dxf32>\n' % n_b)
    s.append('  snn.output "current"(%%cli) : tensor<%dxf32>\n' % n_out)
    s.append('  snn.output "sum"(%%acc) : tensor<%dxf32>\n' % n_out)
    s.append('  snn.output "output"(%%readout) : tensor<%dxf32>\n' % n_out)
    s.append("}\n")
    with open(out, "w") as f:
        f.write("".join(s))


if __name__ == "__main__":
    main()
