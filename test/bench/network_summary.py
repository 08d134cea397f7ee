#!/usr/bin/python3
"""Prints what a network directory (network.json + .npy) describes.

Usage: network_summary.py DIR [--same-as OTHER]

One line for the model, one per receptor, population and projection, with
numbers to 5 significant digits (the description holds float32 values from
an artifact, so more digits would show rounding, not the network). With
--same-as, also compares the two directories synapse by synapse in global
neuron indices (source, target, receptor, delay exactly, weight to a
relative 1e-5) and the initial potentials neuron by neuron (as float32), whatever the populations are called or how
they are split: "same synapses: yes" / "same v_init: yes" or "no" with the
first difference. Exit status 0, or 2 when a directory is malformed.

Needs numpy only (the loader is network_dir.load_network).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
from network_dir import NetworkError, load_network  # noqa: E402


def g(x: float) -> str:
    return f"{x:.5g}"


def summary(net) -> list[str]:
    lines = [f"network {net.name}: {net.size} neurons, dt {g(net.dt)} s, "
             f"duration {g(net.duration)} s, tau_m {g(net.tau_m)} s, v_rest {g(net.v_rest)} V, "
             f"v_threshold {g(net.v_threshold)} V, v_reset {g(net.v_reset)} V, "
             f"refractory {g(net.refractory)} s"]
    for r in net.receptors:
        rev = "" if r.reversal is None else f", reversal {g(r.reversal)} V"
        lines.append(f"receptor {r.name}: {r.type}, tau {g(r.tau)} s{rev}")
    for p in net.populations:
        lines.append(f"population {p.name}: {p.size} neurons from {p.offset}, v_init in "
                     f"[{g(p.v_init.min())}, {g(p.v_init.max())}] V")
    for k, pj in enumerate(net.projections):
        rec = pj.receptor.name if pj.receptor else "v"
        weight = g(pj.weight) if pj.weights is None else \
            f"{g(pj.weights.min())}..{g(pj.weights.max())} per synapse"
        delay = str(pj.delay_steps) if pj.delays is None else \
            f"{pj.delays.min()}..{pj.delays.max()} per synapse"
        lines.append(f"projection {k}: {pj.source.name} -> {pj.target.name}, receptor {rec}, "
                     f"{len(pj.pre)} synapses, weight {weight}, delay {delay} steps")
    return lines


def synapse_table(net) -> np.ndarray:
    """Rows (global pre, global post, receptor index, weight, delay), sorted."""
    names = [r.name for r in net.receptors]
    parts = []
    for pj in net.projections:
        n = len(pj.pre)
        w = pj.weights if pj.weights is not None else np.full(n, pj.weight)
        d = pj.delays if pj.delays is not None else np.full(n, pj.delay_steps)
        rec = names.index(pj.receptor.name) if pj.receptor else -1
        parts.append(np.stack([pj.pre + pj.source.offset, pj.post + pj.target.offset,
                               np.full(n, rec), w, d.astype(np.float64)], axis=1))
    table = np.concatenate(parts) if parts else np.zeros((0, 5))
    return table[np.lexsort(table.T[::-1])]


def compare(a, b) -> list[str]:
    ta, tb = synapse_table(a), synapse_table(b)
    if ta.shape != tb.shape:
        syn = f"same synapses: no ({len(ta)} against {len(tb)})"
    else:
        # Weights to 1e-5: an exported weight carries the gain it was
        # scaled by, derived from float32 per-step constants.
        ints = np.any(ta[:, [0, 1, 2, 4]] != tb[:, [0, 1, 2, 4]], axis=1)
        diff = np.nonzero(ints | ~np.isclose(ta[:, 3], tb[:, 3], rtol=1e-5, atol=0))[0]
        syn = "same synapses: yes" if len(diff) == 0 else \
            f"same synapses: no (first difference {ta[diff[0]]} against {tb[diff[0]]})"
    va = np.float32(np.concatenate([p.v_init for p in a.populations]))
    vb = np.float32(np.concatenate([p.v_init for p in b.populations]))
    if va.shape != vb.shape:
        v = f"same v_init: no ({len(va)} against {len(vb)} neurons)"
    else:
        diff = np.nonzero(va != vb)[0]
        v = "same v_init: yes" if len(diff) == 0 else \
            f"same v_init: no (neuron {diff[0]}: {va[diff[0]]} against {vb[diff[0]]})"
    return [syn, v]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Summarize a network directory.")
    ap.add_argument("dir")
    ap.add_argument("--same-as", metavar="OTHER",
                    help="compare synapses and initial potentials with another directory")
    args = ap.parse_args(argv)
    try:
        net = load_network(args.dir)
        other = load_network(args.same_as) if args.same_as else None
    except NetworkError as err:
        print(f"network_summary: {err}", file=sys.stderr)
        return 2
    lines = summary(net) + (compare(net, other) if other else [])
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
