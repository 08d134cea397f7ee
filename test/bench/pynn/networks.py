"""Two PyNN scripts run unchanged on pyNN.snnc and pyNN.brian2.

python3 networks.py SIMULATOR NETWORK N [--time MS] prints one JSON line:
the mean rate (Hz), the mean ISI coefficient of variation, and the wall
times of building, running and the whole script (s).

- ei: a Vogels-Abbott-style network of N IF_cond_exp neurons (80 %
  excitatory), 2 % connection probability scaled to keep 80 inputs per
  neuron at N = 4000, each neuron driven by 50 of 500 Poisson sources at
  10 Hz.
- poisson: N IF_curr_exp neurons, each driven by 20 of 200 Poisson sources
  at 20 Hz (FixedNumberPreConnector).
- ei_lists: the ei network with its synapses (FromListConnector) and its
  drive (SpikeSourceArray trains) drawn here in NumPy from one seed, so
  both simulators run the very same realization and only their dynamics
  and timing conventions can differ.
"""

import json
import os
import sys
import time

T0 = time.perf_counter()

import numpy as np  # noqa: E402


def rate_and_cv(trains, n, tstop_ms):
    """Mean rate (Hz) and mean ISI CV from Neo's multiplexed arrays, without
    making one SpikeTrain object per neuron (Neo's per-neuron split is
    quadratic in the population size)."""
    channels, times = trains.multiplexed
    channels = np.asarray(channels)
    times = np.asarray(times)
    order = np.lexsort((times, channels))
    channels, times = channels[order], times[order]
    same = channels[1:] == channels[:-1]
    isi = np.diff(times)[same]
    owner = channels[1:][same]
    ids, inverse, counts = np.unique(owner, return_inverse=True, return_counts=True)
    mean = np.bincount(inverse, isi) / counts
    var = np.bincount(inverse, isi ** 2) / counts - mean ** 2
    enough = counts >= 2    # three spikes or more
    cv = np.sqrt(np.maximum(var[enough], 0)) / mean[enough]
    return times.size / n / (tstop_ms / 1000.0), float(cv.mean()) if cv.size else float("nan")


# synaptic weights (µS) of the ei network: excitatory recurrent, drive
W_E = float(os.environ.get("W_E", "0.002"))
W_DRIVE = float(os.environ.get("W_DRIVE", "0.006"))


def ei(sim, n, rng):
    n_exc = int(0.8 * n)
    p = min(1.0, 80.0 / n)
    cell = dict(tau_m=20.0, cm=0.2, v_rest=-60.0, v_reset=-60.0, v_thresh=-50.0,
                tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0, e_rev_I=-80.0)
    exc = sim.Population(n_exc, sim.IF_cond_exp(**cell), label="exc")
    inh = sim.Population(n - n_exc, sim.IF_cond_exp(**cell), label="inh")
    v0 = sim.RandomDistribution("uniform", (-60.0, -50.0), rng=rng)
    exc.initialize(v=v0)
    inh.initialize(v=v0)
    drive = sim.Population(500, sim.SpikeSourcePoisson(rate=10.0))
    conn = sim.FixedProbabilityConnector(p, rng=rng)
    w_e, w_i, d = W_E, 0.051, 0.2
    for pre, w, r in ((exc, w_e, "excitatory"), (inh, w_i, "inhibitory")):
        for post in (exc, inh):
            sim.Projection(pre, post, conn, sim.StaticSynapse(weight=w, delay=d), receptor_type=r)
    for post in (exc, inh):
        sim.Projection(drive, post, sim.FixedNumberPreConnector(50, rng=rng),
                       sim.StaticSynapse(weight=W_DRIVE, delay=d))
    return exc


def ei_lists(sim, n, rng, tstop):
    draw = np.random.default_rng(4242)
    n_exc = int(0.8 * n)
    p = min(1.0, 80.0 / n)
    cell = dict(tau_m=20.0, cm=0.2, v_rest=-60.0, v_reset=-60.0, v_thresh=-50.0,
                tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0, e_rev_I=-80.0)
    cells = sim.Population(n, sim.IF_cond_exp(**cell), label="cells")
    cells.initialize(v=draw.uniform(-60.0, -50.0, n))
    steps = int(round(tstop / 0.1))
    trains = [np.nonzero(draw.random(steps) < 10.0 * 1e-4)[0] * 0.1 for _ in range(500)]
    drive = sim.Population(500, sim.SpikeSourceArray(
        spike_times=[sim.Sequence(np.round(t, 1)) for t in trains]))
    d = 0.2

    def listed(w, i, j):
        conns = np.column_stack([i, j, np.full(i.size, w), np.full(i.size, d)])
        return sim.FromListConnector(conns, column_names=["weight", "delay"])

    for first, size, w, r in ((0, n_exc, W_E, "excitatory"), (n_exc, n - n_exc, 0.051, "inhibitory")):
        i, j = np.nonzero(draw.random((size, n)) < p)
        sim.Projection(cells[first:first + size], cells, listed(w, i, j), receptor_type=r)
    pre = np.concatenate([draw.choice(500, 50, replace=False) for _ in range(n)])
    post = np.repeat(np.arange(n), 50)
    sim.Projection(drive, cells, listed(W_DRIVE, pre, post), receptor_type="excitatory")
    return cells


def poisson(sim, n, rng):
    src = sim.Population(200, sim.SpikeSourcePoisson(rate=20.0))
    cells = sim.Population(n, sim.IF_curr_exp(tau_m=20.0, cm=0.25, tau_syn_E=5.0,
                                              v_thresh=-50.0, tau_refrac=2.0))
    sim.Projection(src, cells, sim.FixedNumberPreConnector(20, rng=rng),
                   sim.StaticSynapse(weight=0.15, delay=1.0))
    return cells


def main():
    name, network, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tstop = float(sys.argv[sys.argv.index("--time") + 1]) if "--time" in sys.argv else 1000.0
    if name == "snnc":
        import snnc_pynn_path  # noqa: F401
    sim = __import__(f"pyNN.{name}", fromlist=["setup"])
    if name == "brian2":
        import brian2   # PyNN does not seed Brian2's Poisson sources: seed them here
        brian2.seed(4242)
    extra = {"procedural_threshold": int(sys.argv[sys.argv.index("--threshold") + 1])} \
        if "--threshold" in sys.argv else {}
    sim.setup(timestep=0.1, min_delay=0.1, **extra)
    rng = sim.NumpyRNG(seed=4242)
    t_build = time.perf_counter()
    if network == "ei_lists":
        recorded = ei_lists(sim, n, rng, tstop)
    else:
        recorded = {"ei": ei, "poisson": poisson}[network](sim, n, rng)
    recorded.record("spikes")
    t_build = time.perf_counter() - t_build
    t_run = time.perf_counter()
    sim.run(tstop)
    t_run = time.perf_counter() - t_run
    trains = recorded.get_data().segments[0].spiketrains
    rate, cv = rate_and_cv(trains, recorded.size, tstop)
    sim.end()
    print(json.dumps(dict(simulator=name, network=network, n=n, tstop_ms=tstop,
                          rate_hz=rate, isi_cv=cv, build_s=round(t_build, 3),
                          run_s=round(t_run, 3),
                          script_s=round(time.perf_counter() - T0, 3))))


if __name__ == "__main__":
    main()
