"""Build (connect) time of one 10^7-synapse projection on pyNN.snnc.

connect_time.py [--explicit] [--n 10000] [--p 0.1]: a FixedProbabilityConnector
between two populations of n IF_curr_exp cells (10^7 synapses expected at
the defaults), as a compiler rule or (--explicit) as PyNN's connector
expanding it into an explicit list. Prints one JSON line: the Projection()
call, the first run() of 1 ms (which writes, compiles and loads the
network, expanding a rule) and the synapse count.
"""

import json
import sys
import time

import snnc_pynn_path  # noqa: F401
import pyNN.snnc as sim


def main():
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 10000
    p = float(sys.argv[sys.argv.index("--p") + 1]) if "--p" in sys.argv else 0.1
    explicit = "--explicit" in sys.argv
    sim.setup(timestep=0.1, procedural_threshold=(1 << 62) if explicit else 1)
    a = sim.Population(n, sim.IF_curr_exp())
    b = sim.Population(n, sim.IF_curr_exp())
    t0 = time.perf_counter()
    prj = sim.Projection(a, b, sim.FixedProbabilityConnector(p, rng=sim.NumpyRNG(seed=1)),
                         sim.StaticSynapse(weight=0.01, delay=1.0))
    t_connect = time.perf_counter() - t0
    t0 = time.perf_counter()
    sim.run(1.0)
    t_first_run = time.perf_counter() - t0
    count = len(prj) if explicit else None
    print(json.dumps(dict(mode="explicit" if explicit else "procedural", n=n, p=p,
                          synapses=count, expected=int(n * n * p),
                          projection_s=round(t_connect, 3), first_run_s=round(t_first_run, 3))))
    sim.end()


if __name__ == "__main__":
    main()
