"""Checks alpha receptors against an independent integration.

Usage: check_alpha.py INPUT.npy STATE.npy DT PROFILE [CURRENT.npy]

INPUT is the [T, 1] event count of the source `src` per step, STATE the
recorded v [T, 2] of test/run/Inputs/alpha-receptor.mlir. An event of step s
reaches the
receptor at the start of step s + 1 (snn.sparse reads its source's
previous step), i.e. at time (s + 1) dt, and drives
I(t) = w (t' / tau) e^(1 - t' / tau), t' = t - (s + 1) dt. STATE[k] is v
at the end of step k. `exact` integrates tau_m dv/dt = -v + r I with RK4
at dt / 50 (independent of snnc's closed-form gains); `euler` runs the
forward-Euler recurrence of the two receptor states and v in float64.
CURRENT (exact profile) is the receptor's recorded state g [T, 2], which
must be I at the end of each step. Prints "ok: ..." or the first step and
neuron that differ.
"""
import math
import sys

import numpy as np

TAU_M, R = 2.0e-2, 1.0
TAU = [2.0e-3, 2.0e-2]
W = [0.5, 0.3]


def exact(events, steps, dt, n):
    sub = 50
    h = dt / sub
    tau = TAU[n]
    onsets = [(s + 1) * dt for s in events]

    def current(t):
        total = 0.0
        for t0 in onsets:
            if t0 <= t < t0 + 30 * tau:
                x = (t - t0) / tau
                total += W[n] * x * math.exp(1 - x)
        return total

    def f(t, v):
        return (-v + R * current(t)) / TAU_M

    v, out = 0.0, np.zeros(steps)
    for k in range(steps):
        t = k * dt
        for _ in range(sub):
            k1 = f(t, v)
            k2 = f(t + h / 2, v + h / 2 * k1)
            k3 = f(t + h / 2, v + h / 2 * k2)
            k4 = f(t + h, v + h * k3)
            v += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            t += h
        out[k] = v
    return out


def alpha_current(events, steps, dt, n):
    tau, out = TAU[n], np.zeros(steps)
    for s in events:
        t = (np.arange(steps) + 1 - (s + 1)) * dt / tau
        out += np.where(t > 0, W[n] * t * np.exp(1 - t), 0.0)
    return out


def euler(events, steps, dt, n):
    counts = np.bincount(np.asarray(events, dtype=np.int64) + 1, minlength=steps + 1)
    tau = TAU[n]
    y = g = v = 0.0
    out = np.zeros(steps)
    for k in range(steps):
        y += W[n] * counts[k]
        v = v + dt / TAU_M * (-v + R * g)
        g = (1 - dt / tau) * g + math.e * dt / tau * y
        y = (1 - dt / tau) * y
        out[k] = v
    return out


def main():
    counts = np.load(sys.argv[1])[:, 0]
    state = np.load(sys.argv[2]).astype(np.float64)
    dt, profile = float(sys.argv[3]), sys.argv[4]
    steps = state.shape[0]
    events = [s for s in range(steps) for _ in range(int(counts[s]))]
    if not events:
        print("the source never fired: nothing was checked")
        return 1
    for n in range(2):
        want = (exact if profile == "exact" else euler)(events, steps, dt, n)
        scale = np.abs(want).max()
        err = np.abs(state[:, n] - want)
        if err.max() > 2e-4 * scale:
            k = int(err.argmax())
            print(f"neuron {n}, step {k}: v = {state[k, n]!r}, expected {want[k]!r}"
                  f" (tolerance {2e-4 * scale:.3g})")
            return 1
        print(f"ok: neuron {n}, {len(events)} events, v up to {scale:.4g}, "
              f"max error {err.max() / scale:.2g} of it")
    if len(sys.argv) > 5:
        g = np.load(sys.argv[5]).astype(np.float64)
        for n in range(2):
            want = alpha_current(events, steps, dt, n)
            err = np.abs(g[:, n] - want).max() / np.abs(want).max()
            if err > 1e-5:
                k = int(np.abs(g[:, n] - want).argmax())
                print(f"current of neuron {n}, step {k}: g = {g[k, n]!r}, "
                      f"expected {want[k]!r}")
                return 1
            print(f"ok: current of neuron {n}, max error {err:.2g} of its peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
