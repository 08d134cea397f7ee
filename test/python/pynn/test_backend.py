"""pyNN.snnc against closed-form results, and its refusals."""

import runpy
import sys

import numpy as np
import pytest

pytest.importorskip("pyNN", reason="python3-pynn is not installed (tools/setup.sh installs it)")
pytest.importorskip("neo", reason="python3-neo is not installed (tools/setup.sh installs it)")
import snnc_pynn_path  # noqa: F401,E402  (pyNN.snnc from the build tree)
import pyNN.snnc as sim  # noqa: E402

DT = 0.1


def _signal(population, name="v"):
    segment = population.get_data().segments[-1]
    return np.asarray(segment.filter(name=name)[0])


def _spikes(population):
    return [np.asarray(st) for st in population.get_data().segments[-1].spiketrains]


def test_dc_current_matches_membrane_equation():
    sim.setup(timestep=DT)
    cm, tau_m, v_rest, amp, start = 1.0, 20.0, -65.0, 0.5, 10.0
    p = sim.Population(1, sim.IF_curr_exp(cm=cm, tau_m=tau_m, v_rest=v_rest, v_thresh=-40.0))
    sim.DCSource(amplitude=amp, start=start, stop=1e9).inject_into(p)
    p.record("v")
    sim.run(50.0)
    v = _signal(p)[:, 0]
    assert v.shape == (501,)
    t = np.arange(501) * DT
    # the current flows from the step starting at `start`: v moves from the next sample on
    expected = v_rest + amp * tau_m / cm * (1 - np.exp(-np.clip(t - start, 0, None) / tau_m))
    np.testing.assert_allclose(v, expected, atol=2e-3)
    assert v[int(start / DT)] == pytest.approx(v_rest)


def test_dc_current_flows_from_the_first_step():
    sim.setup(timestep=DT)
    cm, tau_m, v_rest, amp = 1.0, 20.0, -65.0, 0.5
    p = sim.Population(1, sim.IF_curr_exp(cm=cm, tau_m=tau_m, v_rest=v_rest, v_thresh=-40.0))
    source = sim.DCSource(amplitude=amp, start=0.0, stop=1e9)
    source.inject_into(p)
    source.record()
    p.record("v")
    sim.run(5.0)
    sim.run(5.0)  # a second run goes on without a gap or a doubled step
    v = _signal(p)[:, 0]
    t = np.arange(v.size) * DT
    expected = v_rest + amp * tau_m / cm * (1 - np.exp(-t / tau_m))
    np.testing.assert_allclose(v, expected, atol=1e-4)
    assert v[1] > v_rest + 0.02
    current = np.asarray(source.get_data()).ravel()
    assert current.size == v.size
    np.testing.assert_allclose(current, amp)


def test_firing_period_matches_closed_form():
    sim.setup(timestep=DT)
    tau_m, cm, v_rest, v_th, refrac, i = 20.0, 1.0, -65.0, -55.0, 2.0, 1.0
    p = sim.Population(1, sim.IF_curr_exp(tau_m=tau_m, cm=cm, v_rest=v_rest, v_reset=v_rest,
                                          v_thresh=v_th, tau_refrac=refrac, i_offset=i))
    p.record("spikes")
    sim.run(200.0)
    spikes = _spikes(p)[0]
    period = refrac + tau_m * np.log(i * tau_m / cm / (i * tau_m / cm - (v_th - v_rest)))
    assert len(spikes) > 5
    np.testing.assert_allclose(np.diff(spikes), period, atol=2 * DT)


@pytest.mark.parametrize("delay", [0.1, 1.0, 2.5])
def test_delta_synapse_arrives_after_delay(delay):
    sim.setup(timestep=DT)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0]))
    p = sim.Population(1, sim.IF_curr_delta(tau_m=1e9, v_rest=-65.0, v_thresh=0.0))
    sim.Projection(src, p, sim.OneToOneConnector(), sim.StaticSynapse(weight=2.0, delay=delay))
    p.record("v")
    src.record("spikes")
    sim.run(20.0)
    v = _signal(p)[:, 0]
    arrival = int(round((10.0 + delay) / DT))
    # the jump is applied in the step starting at 10 + delay, seen in the sample after it
    assert v[arrival] == pytest.approx(-65.0)
    assert v[arrival + 1] == pytest.approx(-63.0, abs=1e-4)
    np.testing.assert_allclose(_spikes(src)[0], [10.0])


def test_neuron_to_neuron_delay_and_spike_time():
    sim.setup(timestep=DT)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    a = sim.Population(1, sim.IF_curr_delta(tau_m=1e9, v_rest=-65.0, v_thresh=-60.0))
    b = sim.Population(1, sim.IF_curr_delta(tau_m=1e9, v_rest=-65.0, v_thresh=0.0))
    sim.Projection(src, a, sim.OneToOneConnector(), sim.StaticSynapse(weight=10.0, delay=1.0))
    sim.Projection(a, b, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0, delay=2.0))
    a.record("spikes")
    b.record("v")
    sim.run(20.0)
    t_a = _spikes(a)[0]
    assert len(t_a) == 1
    v = _signal(b)[:, 0]
    jump = np.flatnonzero(np.diff(v) > 0.5)
    assert len(jump) == 1
    # a's spike reaches b `delay` after the time it is reported at
    assert (jump[0] + 1) * DT == pytest.approx(t_a[0] + 2.0 + DT)


def test_second_run_continues():
    def simulate(chunks):
        sim.setup(timestep=DT, rng_seed=5)
        noise = sim.Population(20, sim.SpikeSourcePoisson(rate=200.0))
        p = sim.Population(10, sim.IF_cond_exp())
        sim.Projection(noise, p, sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(3)),
                       sim.StaticSynapse(weight=0.01, delay=0.5))
        p.record(["v", "spikes", "gsyn_exc"])
        for c in chunks:
            sim.run(c)
        return _signal(p), _signal(p, "gsyn_exc"), _spikes(p)

    v1, g1, s1 = simulate([100.0])
    v2, g2, s2 = simulate([40.0, 60.0])
    np.testing.assert_array_equal(v1, v2)
    np.testing.assert_array_equal(g1, g2)
    assert g1.max() > 0.01
    for a, b in zip(s1, s2):
        np.testing.assert_array_equal(a, b)


def test_reset_repeats_the_run():
    sim.setup(timestep=DT, rng_seed=7)
    p = sim.Population(5, sim.IF_curr_alpha(i_offset=1.5, tau_refrac=1.0))
    p.record(["v", "spikes"])
    sim.run(50.0)
    sim.reset()
    sim.run(50.0)
    block = p.get_data()
    assert len(block.segments) == 2
    first, second = (np.asarray(s.filter(name="v")[0]) for s in block.segments)
    np.testing.assert_array_equal(first, second)
    assert sum(len(st) for st in block.segments[1].spiketrains) > 0


def test_conductance_recorded_in_microsiemens():
    sim.setup(timestep=DT)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    p = sim.Population(1, sim.IF_cond_exp(tau_syn_E=5.0, cm=0.5, tau_m=10.0))
    sim.Projection(src, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.02, delay=1.0))
    p.record("gsyn_exc")
    sim.run(30.0)
    g = _signal(p, "gsyn_exc")[:, 0]
    peak = int(np.argmax(g))
    assert peak * DT == pytest.approx(6.1)
    assert g[peak] == pytest.approx(0.02 * (1 - DT / 5.0), rel=1e-4)
    assert g[peak + 50] == pytest.approx(g[peak] * (1 - DT / 5.0) ** 50, rel=1e-3)


def test_poisson_rate_and_window():
    sim.setup(timestep=DT, rng_seed=11)
    steady = sim.Population(200, sim.SpikeSourcePoisson(rate=50.0))
    window = sim.Population(200, sim.SpikeSourcePoisson(rate=100.0, start=100.0, duration=200.0))
    steady.record("spikes")
    window.record("spikes")
    sim.run(1000.0)
    n = sum(len(s) for s in _spikes(steady))
    assert n / 200 == pytest.approx(50.0, rel=0.1)
    times = np.concatenate(_spikes(window))
    assert times.min() >= 100.0 and times.max() < 300.0
    assert len(times) / 200 / 0.2 == pytest.approx(100.0, rel=0.1)


def test_procedural_and_explicit_connectors():
    sim.setup(timestep=DT, procedural_threshold=10_000)
    a = sim.Population(200, sim.IF_curr_exp())
    b = sim.Population(200, sim.IF_curr_exp())
    weights = sim.RandomDistribution("normal_clipped", mu=0.1, sigma=0.02, low=0.0, high=1.0)
    big = sim.Projection(a, b, sim.FixedNumberPreConnector(20), sim.StaticSynapse(weight=weights))
    assert big._rule is not None
    assert len(big) == 20 * 200
    with pytest.raises(NotImplementedError, match="procedural_threshold"):
        big.get("weight", format="list")
    small = sim.Projection(a[:50], b[:50], sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(1)),
                           sim.StaticSynapse(weight=0.1))
    assert small._rule is None
    assert 0.15 * 2500 < len(small) < 0.25 * 2500
    w = small.get("weight", format="array")
    assert np.nanmax(w) == pytest.approx(0.1)
    sim.run(10.0)


def test_refusals_name_what_is_missing():
    sim.setup(timestep=DT)
    with pytest.raises(NotImplementedError, match="IF_cond_alpha"):
        sim.IF_cond_alpha()
    with pytest.raises(NotImplementedError, match="TsodyksMarkramSynapse"):
        sim.TsodyksMarkramSynapse(U=0.5)
    a = sim.Population(2, sim.IF_curr_exp())
    prj = sim.Projection(a, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    sim.run(5.0)
    with pytest.raises(NotImplementedError, match="middle of a simulation"):
        prj.set(weight=0.2)
    with pytest.raises(NotImplementedError, match="middle of a simulation"):
        a.set(tau_m=10.0)
    sim.reset()
    a.set(tau_m=10.0)   # allowed again at t = 0
    sim.run(5.0)


SCRIPT = """
from pyNN.utility import get_simulator
sim, options = get_simulator()
sim.setup(timestep=0.1)
p = sim.Population(3, sim.IF_curr_exp(i_offset=1.0))
p.record("spikes")
sim.run(100.0)
print("spikes", sum(len(s) for s in p.get_data().segments[0].spiketrains), sim.__name__)
sim.end()
"""


def test_script_picks_snnc_by_name(tmp_path, capsys, monkeypatch):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    monkeypatch.setattr(sys, "argv", [str(script), "snnc"])
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "pyNN.snnc" in out
    assert int(out.split()[1]) > 0


@pytest.mark.parametrize("cm", [0.5, [0.4, 0.5, 0.6]])
def test_rule_and_explicit_list_give_the_same_run(cm):
    """All-to-all is deterministic, so the compiler's rule and PyNN's list
    must give the same v: checks the rule's weight scaling (conductances
    times r, per target when cm differs) and its delays."""
    def simulate(threshold):
        sim.setup(timestep=DT, procedural_threshold=threshold)
        src = sim.Population(4, sim.SpikeSourceArray(spike_times=[[2.0, 9.0], [4.0], [], [6.5]]))
        hidden = sim.Population(5, sim.IF_curr_exp(i_offset=1.2, tau_refrac=1.0))
        cells = sim.Population(3, sim.IF_cond_exp(cm=cm))
        sim.Projection(src, cells, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.01, delay=1.5))
        prj = sim.Projection(hidden, cells, sim.AllToAllConnector(),
                             sim.StaticSynapse(weight=0.004, delay=0.7),
                             receptor_type="inhibitory")
        cells.record(["v", "gsyn_exc", "gsyn_inh"])
        sim.run(40.0)
        return prj, [_signal(cells, n) for n in ("v", "gsyn_exc", "gsyn_inh")]

    prj_rule, rule = simulate(1)
    prj_list, listed = simulate(1 << 40)
    assert prj_list._rule is None
    assert (prj_rule._rule is None) == isinstance(cm, list)   # expanded: r differs per cell
    for a, b in zip(rule, listed):
        assert np.abs(a).max() > 0
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
    assert listed[2].max() > 0.003


def test_one_rng_gives_projections_their_own_synapses():
    """Two rules made with one seeded RNG are independent draws (PyNN's own
    connectors advance the RNG too), and the script's seed fixes both."""
    def simulate(seed):
        sim.setup(timestep=DT, procedural_threshold=1)
        src = sim.Population(100, sim.SpikeSourcePoisson(rate=50.0))
        b = sim.Population(100, sim.IF_curr_exp(tau_refrac=1.0))
        c = sim.Population(100, sim.IF_curr_exp(tau_refrac=1.0))
        conn = sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(seed=seed))
        prj = [sim.Projection(src, post, conn, sim.StaticSynapse(weight=2.0, delay=1.0))
               for post in (b, c)]
        assert all(p._rule is not None for p in prj)
        b.record("spikes")
        c.record("spikes")
        sim.run(200.0)
        return [np.array([len(st) for st in p.get_data().segments[-1].spiketrains])
                for p in (b, c)]

    b1, c1 = simulate(7)
    assert b1.sum() > 0 and c1.sum() > 0
    assert not np.array_equal(b1, c1)          # not the same synapses twice
    b2, c2 = simulate(7)
    np.testing.assert_array_equal(b1, b2)      # reproducible from the seed
    np.testing.assert_array_equal(c1, c2)
