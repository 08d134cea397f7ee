"""Checks delta-receptor membranes against the spikes that drove them.

Usage: check_delta.py SRC_EVENTS.npy STATE.npy DT TAU_M W0 W1 ...

SRC_EVENTS are the source's (step, index) rows, STATE the recorded v [T, N]
of neurons whose synapse from the source has weight W_i. Each event of step
s moves v by w in step s + 1, and v then decays with the membrane:
v[t] = beta * (v[t-1] + w * n[t-1]), beta = exp(-dt / tau_m), v[-1] = 0.
Prints "ok: E events, max relative error X" or what differs, and where.
"""
import math
import sys

import numpy as np


def main():
    src = np.load(sys.argv[1])
    state = np.load(sys.argv[2]).astype(np.float64)
    dt, tau = float(sys.argv[3]), float(sys.argv[4])
    weights = [float(w) for w in sys.argv[5:]]
    steps, n = state.shape
    if n != len(weights):
        print(f"state has {n} neurons, {len(weights)} weights given")
        return 1
    counts = np.bincount(src[:, 0], minlength=steps)[:steps]
    if counts.sum() == 0:
        print("the source never fired: nothing was checked")
        return 1
    beta = math.exp(-dt / tau)
    worst = 0.0
    for i, w in enumerate(weights):
        v = 0.0
        for t in range(steps):
            v = beta * (v + (w * counts[t - 1] if t > 0 else 0.0))
            err = abs(state[t, i] - v) / max(abs(v), 1e-9)
            if err > 2e-5:
                print(f"neuron {i} step {t}: v {state[t, i]:.9g}, expected {v:.9g}")
                return 1
            worst = max(worst, err)
    print(f"ok: {int(counts.sum())} events, max relative error {worst:.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
