#!/usr/bin/env python3
"""Writes pd14.mlir: the Potjans & Diesmann (2014) cortical microcircuit in
the snn dialect, from the model's published parameters (the values of NEST's
Potjans_2014 example, network_params.py; docs/examples.md cites them).

77,169 leaky integrate-and-fire neurons with exponential current synapses
(NEST's iaf_psc_exp) in 8 populations; fixed total numbers of synapses per
pair of populations from the connection-probability table; normal weights
and delays, redrawn outside their sign and below dt; Poisson background of
K_ext * 8 Hz per neuron. Units: seconds, volts, amperes, ohms.

    python3 docs/examples/pd14_generate.py > docs/examples/pd14.mlir
"""
import math

POPS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
N = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
# Connection probabilities; row = target, column = source.
P = [[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
     [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
     [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
     [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
     [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
     [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
     [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
     [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
BG_RATE = 8.0             # Hz per external synapse
PSP_E, PSP_SD, G = 0.15e-3, 0.1, -4.0   # V, relative sd, inh/exc ratio
DELAY_E, DELAY_I, DELAY_SD = 1.5e-3, 0.75e-3, 0.5   # s, s, relative sd
POISSON_DELAY = 1.5e-3
C_M, TAU_M, TAU_SYN, T_REF = 250e-12, 10e-3, 0.5e-3, 2e-3
E_L, V_TH, V_RESET, V0_MEAN, V0_SD = -65e-3, -50e-3, -65e-3, -58e-3, 10e-3
DT = 1e-4
# snn.connect's events act in the step after the spike plus their delay
# (Brian2's rule); NEST counts that first step in the delay. Delays here are
# NEST's minus one step: a normal redrawn below dt, shifted by -dt, is the
# same normal shifted, redrawn below 0.


def psc_per_psp():
    """Current amplitude (A) whose exponential PSC peaks at a 1 V PSP."""
    sub = 1.0 / (TAU_SYN - TAU_M)
    pre = TAU_M * TAU_SYN / C_M * sub
    frac = (TAU_M / TAU_SYN) ** sub
    return 1.0 / (pre * (frac ** TAU_M - frac ** TAU_SYN))


def synapses(t, s):
    """Total synapses from population s to t for P[t][s] (multapses drawn
    independently; the number that gives that probability of >= 1 synapse
    per pair), truncated as the reference implementation does."""
    p = P[t][s]
    if p == 0:
        return 0
    prod = N[t] * N[s]
    return int(math.log(1.0 - p) / math.log((prod - 1.0) / prod))


def f(x):
    """A float literal MLIR parses for f32 and f64 alike."""
    s = f"{x:.9g}"
    return s if any(c in s for c in ".e") else s + ".0"


def main():
    w = PSP_E * psc_per_psp()
    r = TAU_M / C_M
    out = []
    o = out.append
    o("// The Potjans & Diesmann (2014) cortical microcircuit, written by")
    o("// docs/examples/pd14_generate.py (edit that, not this file).")
    o("//   build/bin/snnc docs/examples/pd14.mlir -o pd14.snnb --report")
    o("//   build/bin/snn-run pd14.snnb --steps 10000 --rates")
    o("snn.network @pd14 {")
    for t, name in enumerate(POPS):
        n = N[t]
        ins = [f"%bg_{name}_c"] + [f"%{POPS[s]}_{name}" for s in range(8) if synapses(t, s)]
        o(f'  %{name} = snn.receptor_lif "{name}"({", ".join(ins)}) {{')
        for k, v in [("tau_mem", TAU_M), ("v_rest", E_L), ("v_reset", V_RESET),
                     ("v_threshold", V_TH), ("r", r)]:
            o(f"      {k} = dense<{f(v)}> : tensor<{n}xf32>,")
        o(f'      v_init_dist = {{dist = "normal", mean = {f(V0_MEAN)} : f64, '
          f'std = {f(V0_SD)} : f64, seed = {100 + t} : i64}},')
        o(f"      refractory = {f(T_REF)} : f64,")
        o(f'      receptors = [{{name = "syn", type = "current", tau = {f(TAU_SYN)} : f64}} ]}}'
          f" : tensor<{n}xf32>")
        o(f'  %bg_{name} = snn.poisson_source "bg_{name}"() {{rate = dense<{f(K_EXT[t] * BG_RATE)}>'
          f" : tensor<{n}xf32>, seed = {200 + t} : i64}} : tensor<{n}xf32>")
        o(f'  %bg_{name}_c = snn.connect "bg_{name}_c"(%bg_{name}) {{rule = "one_to_one", '
          f'weight = {{dist = "constant", value = {f(w)} : f64}}, '
          f'delay = {{dist = "constant", value = {f(POISSON_DELAY - DT)} : f64}}, seed = 1 : i64, '
          f'receptor = "syn"}} : tensor<{n}xf32>')
    for t in range(8):
        for s in range(8):
            k = synapses(t, s)
            if not k:
                continue
            exc = s % 2 == 0
            mean = w * (G if not exc else (2.0 if (t, s) == (0, 2) else 1.0))
            sd = abs(mean) * PSP_SD
            bound = "low = 0.0 : f64" if exc else "high = 0.0 : f64"
            dmean = DELAY_E if exc else DELAY_I
            src, dst = POPS[s], POPS[t]
            o(f'  %{src}_{dst} = snn.connect "{src}_{dst}"(%{src}) {{rule = "fixed_total_number", '
              f"n = {k} : i64, autapses = false,")
            o(f'      weight = {{dist = "normal", mean = {f(mean)} : f64, std = {f(sd)} : f64, {bound}}},')
            o(f'      delay = {{dist = "normal", mean = {f(dmean - DT)} : f64, std = {f(dmean * DELAY_SD)} : f64, '
              f"low = 0.0 : f64, high = 1.0 : f64}},")
            o(f'      seed = {1000 + 8 * t + s} : i64, receptor = "syn"}} : tensor<{N[s]}xf32> -> tensor<{N[t]}xf32>')
    for name in POPS:
        o(f'  snn.output "{name}_spikes"(%{name}) : tensor<{N[POPS.index(name)]}xf32>')
    o("}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
