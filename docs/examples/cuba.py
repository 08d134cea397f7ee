"""The Vogels-Abbott CUBA network of docs/examples/cuba.mlir, built with the
snnc Python package instead of written as IR, then compiled and run for one
simulated second.

    PYTHONPATH=build/python /usr/bin/python3 docs/examples/cuba.py

test/python/test_builder.py checks that this network and cuba.mlir spike
alike.
"""

import time

import snnc


def cuba_network():
    """4000 receptor LIF neurons (3200 excitatory, 800 inhibitory), every pair
    connected with probability 0.02; seconds and volts."""
    net = snnc.Network("cuba")
    receptors = [snnc.Receptor("exc", "current", tau=5e-3),
                 snnc.Receptor("inh", "current", tau=10e-3)]
    pops = {}
    for name, size, seed in (("exc", 3200, 11), ("inh", 800, 12)):
        pops[name] = net.receptor_lif(
            name, size, tau_mem=20e-3, v_rest=-49e-3, v_reset=-60e-3,
            v_threshold=-50e-3, r=1.0, refractory=5e-3,
            v_init=snnc.Uniform(-60e-3, -50e-3), v_init_seed=seed,
            receptors=receptors)
    # we = 60 * 0.27 / 10 mV, wi = -20 * 4.5 / 10 mV.
    weight = {"exc": 1.62e-3, "inh": -9e-3}
    for pre in ("exc", "inh"):
        for post in ("exc", "inh"):
            net.connect(pops[pre], pops[post], snnc.FixedProbability(0.02),
                        weight=weight[pre], receptor=pre, seed=1,
                        name=pre[0] + post[0])
    net.output("exc_spikes", pops["exc"])
    net.output("inh_spikes", pops["inh"])
    return net


def main():
    start = time.perf_counter()
    program = cuba_network().compile()
    built = time.perf_counter() - start
    session = snnc.Session(snnc.Device("cpu"), program)
    for name, _ in program.outputs:
        session.count(name)
    steps = int(round(1.0 / program.dt))
    start = time.perf_counter()
    session.run(steps)
    ran = time.perf_counter() - start
    print(f"built and compiled in {built:.2f} s; {steps} steps in {ran:.2f} s")
    for name, _ in program.outputs:
        rates = session.spike_rates(name)
        print(f"  {name}: {rates.mean():.1f} Hz mean over {rates.size} neurons")


if __name__ == "__main__":
    main()
