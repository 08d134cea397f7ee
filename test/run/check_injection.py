"""Checks injected currents against the membrane equation they drive.

Usage: check_injection.py CURRENT.npy STATE.npy DT PROFILE

CURRENT is the [T, 3] input of test/run/Inputs/injection.mlir (a current
held over each step), STATE the recorded v [T, 3]. A current is not a
spike: the snn.sparse from the input into the injection receptor delivers
row t in step t itself (no synaptic step). With
tau_m dv/dt = (v_rest - v) + r * I, the exact profile's step is
v' = v_rest + (v - v_rest) e^(-dt/tau_m) + r I (1 - e^(-dt/tau_m)), Euler's
v' = v + dt/tau_m ((v_rest - v) + r I). Prints "ok: ..." or the first step
and neuron that differ by more than the float32 tolerance.
"""
import math
import sys

import numpy as np

TAU = [1.0e-2, 2.0e-2, 5.0e-3]
R = [10.0, 20.0, 40.0]
REST = -6.5e-2


def main():
    current = np.load(sys.argv[1]).astype(np.float64)
    state = np.load(sys.argv[2]).astype(np.float64)
    dt, profile = float(sys.argv[3]), sys.argv[4]
    steps = state.shape[0]
    v = np.full(3, REST)
    worst = 0.0
    for t in range(steps):
        held = current[t]
        for n in range(3):
            if profile == "exact":
                e = math.exp(-dt / TAU[n])
                v[n] = REST + (v[n] - REST) * e + R[n] * held[n] * (1 - e)
            else:
                v[n] = v[n] + dt / TAU[n] * ((REST - v[n]) + R[n] * held[n])
            err = abs(state[t, n] - v[n])
            worst = max(worst, err)
            if err > 1e-5 * max(1.0, abs(v[n])):
                print(f"step {t}, neuron {n}: v = {state[t, n]!r}, expected {v[n]!r}")
                return 1
    moved = np.abs(state - REST).max()
    if moved < 1e-3:
        print("the current never moved v: nothing was checked")
        return 1
    print(f"ok: {steps} steps, v moved up to {moved:.4g}, max error {worst:.2g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
