"""snnc.Network: networks built in Python compile and run like hand-written
IR, and mistakes are refused when they are made."""

import importlib.util
import pathlib
import time

import numpy as np
import pytest

import snnc

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "docs/examples/cuba.py"


def cuba():
    """docs/examples/cuba.py's network (cuba.mlir, built in Python)."""
    spec = importlib.util.spec_from_file_location("cuba_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cuba_network()


def counts(program, steps, outputs=("exc_spikes", "inh_spikes")):
    s = snnc.Session(snnc.Device(), program)
    for o in outputs:
        s.count(o)
    s.run(steps)
    return {o: s.spike_counts(o) for o in outputs}


def test_cuba_rates_match_the_example(examples):
    program = cuba().compile()
    ir = snnc.compile(examples / "cuba.mlir")
    # The same ops, attributes and order as the hand-written file.
    assert program.bytes == ir.bytes
    built = counts(program, 2000)
    reference = counts(ir, 2000)
    for name in built:
        np.testing.assert_array_equal(built[name], reference[name])
    rate = built["exc_spikes"].mean() / 0.2  # Hz over 0.2 s
    assert 1.0 < rate < 100.0, rate


def test_every_neuron_kind_compiles_and_runs():
    net = snnc.Network("zoo")
    x = net.input("x", 4)
    w = np.full((3, 4), 0.6)
    kinds = {
        "lif": net.lif("lif", 3, tau=5e-3, r=10.0, v_threshold=0.1),
        "cuba_lif": net.cuba_lif("cuba_lif", 3, tau_mem=5e-3, tau_syn=2e-3,
                                 r=10.0, v_threshold=0.1),
        "if": net.if_("if", 3, v_threshold=1e-3),
        "li": net.li("li", 3, tau=5e-3, r=10.0),
        "cuba_li": net.cuba_li("cuba_li", 3, tau_mem=5e-3, tau_syn=2e-3),
        "integrator": net.population("integrator", "integrator", 3, r=2.0),
    }
    for k, pop in kinds.items():
        net.dense(x, pop, w, bias=np.zeros(3) if k == "lif" else None)
        net.output(k + "_out", pop)
    src = net.poisson_source("bg", 20, rate=np.linspace(100, 500, 20), seed=3)
    rl = net.receptor_lif(
        "rl", 10, tau_mem=10e-3, v_rest=0.0, v_reset=0.0, v_threshold=0.5,
        r=1.0, refractory=2e-3, v_init=np.linspace(0, 0.4, 10),
        receptors=[snnc.Receptor("ampa", "current", tau=5e-3),
                   snnc.Receptor("gaba", "conductance", tau=10e-3, e_rev=-0.5),
                   {"name": "d", "type": "delta"}])
    net.connect(src, rl, "fixed_in_degree", n=5, weight=snnc.Normal(40.0, 5.0, 0.0, 80.0),
                delay=snnc.Uniform(0.0, 2e-3), receptor="ampa", seed=9)
    net.connect(src, rl, snnc.AllToAll(), weight=snnc.LogNormal(-3.0, 0.5), receptor="gaba")
    net.sparse(src, rl, [0, 1, 2], [0, 0, 9], [0.3, 0.3, 0.6], delay=1e-3, receptor="d")
    net.output("rl_out", rl)
    program = net.compile(profile="euler")
    assert {p for p, _ in program.outputs} == {k + "_out" for k in kinds} | {"rl_out"}
    kinds_by_name = {name: kind for name, kind, _ in program.info["populations"]}
    assert kinds_by_name["rl"] == "ReceptorLIF" and kinds_by_name["bg"] == "PoissonSource"
    s = snnc.Session(snnc.Device(), program)
    s.set_input("x", np.ones(4, dtype=np.float32))
    for k in kinds:
        s.record(k + "_out")
    s.record("rl_out")
    s.run(200)
    for k in ("lif", "cuba_lif", "if"):
        assert s.spikes(k + "_out").sum() > 0, k
    assert np.abs(s.state("integrator_out")).max() > 0
    assert s.spikes("rl_out").sum() > 0


@pytest.mark.parametrize("rule,expected", [
    (snnc.AllToAll(), 50 * 40),
    (snnc.FixedInDegree(7), 7 * 40),
    (snnc.FixedOutDegree(3), 3 * 50),
    (snnc.FixedTotalNumber(123), 123),
])
def test_rules_give_their_synapse_counts(rule, expected):
    net = snnc.Network()
    a = net.poisson_source("a", 50, rate=10.0)
    b = net.lif("b", 40, tau=1e-2, v_threshold=1.0)
    net.connect(a, b, rule, weight=snnc.Constant(0.1), name="ab")
    p = net.compile(report=True, expand_connectivity="compile")
    assert f"ab: a -> b, sparse, {expected} synapses" in p.report


def test_one_to_one_and_probability():
    net = snnc.Network()
    a = net.poisson_source("a", 1000, rate=10.0)
    b = net.lif("b", 1000, tau=1e-2, v_threshold=1.0)
    net.connect(a, b, "one_to_one", weight=0.5, name="o")
    net.connect(b, b, "fixed_probability", p=0.1, weight=0.01, autapses=False, name="r")
    report = net.compile(report=True, expand_connectivity="compile").report
    assert "o: a -> b, sparse, 1000 synapses" in report
    n = int(report.split("r: b -> b, sparse, ")[1].split()[0])
    assert abs(n - 0.1 * 1000 * 999) < 5 * np.sqrt(0.1 * 0.9 * 1000 * 999)


def test_sparse_delays_match_the_ir_example(examples):
    net = snnc.Network("delays")
    src = net.poisson_source("src", 1, rate=200.0, seed=3)
    dst = net.receptor_lif("dst", 3, tau_mem=1e-2, v_rest=0.0, v_reset=0.0,
                           v_threshold=0.5, r=1e3,
                           receptors=[snnc.Receptor("exc", tau=1e-5)])
    net.sparse(src, dst, [0, 0, 0], [0, 1, 2], 1.0, delay=[1e-3, 2e-3, 3.5e-3],
               receptor="exc", name="syn")
    net.output("out", dst)
    ir = (examples.parent.parent / "test/run/Inputs/synapse-delays.mlir").read_text()
    runs = []
    for program in (net.compile(), snnc.compile(ir)):
        s = snnc.Session(snnc.Device(), program)
        s.record("out")
        s.run(500)
        runs.append(s.spike_events("out"))
    np.testing.assert_array_equal(runs[0], runs[1])
    assert len(runs[0]) > 0


def test_injection_receptor_matches_the_ir_example(examples):
    """A current injected through an input port (PyNN's current sources)."""
    net = snnc.Network("injection")
    i = net.input("i", 3)
    n = net.receptor_lif("n", 3, tau_mem=[1e-2, 2e-2, 5e-3], v_rest=-65e-3,
                         v_reset=-65e-3, v_threshold=1.0, r=[10.0, 20.0, 40.0],
                         receptors=[snnc.Receptor("inj", "injection"),
                                    snnc.Receptor("syn", "current", tau=5e-3)])
    net.sparse(i, n, [0, 1, 2], [0, 1, 2], np.ones(3), receptor="inj", name="s")
    net.output("out", n)
    ir = (examples.parent.parent / "test/run/Inputs/injection.mlir").read_text()
    current = np.zeros((100, 3), dtype=np.float32)
    current[10:60] = [1e-3, 2e-3, -1e-3]
    states = []
    for program in (net.compile(), snnc.compile(ir)):
        s = snnc.Session(snnc.Device(), program)
        s.set_input("i", current)
        s.record_state("out")
        s.run(100)
        states.append(s.state("out"))
    np.testing.assert_array_equal(states[0], states[1])
    assert states[0][59, 0] > -65e-3 > states[0][59, 2]
    with pytest.raises(ValueError, match="the injection receptor takes no tau"):
        snnc.Receptor("x", "injection", tau=1e-3)


def test_alpha_receptor_matches_the_ir_example(examples):
    net = snnc.Network("alpha")
    src = net.input("src", 1)
    n = net.receptor_lif("n", 2, tau_mem=2e-2, v_rest=0.0, v_reset=0.0,
                         v_threshold=1e3, r=1.0,
                         receptors=[snnc.Receptor("a", "alpha", tau=[2e-3, 2e-2])])
    net.sparse(src, n, [0, 0], [0, 1], [0.5, 0.3], receptor="a", name="s")
    net.output("out", n)
    ir = (examples.parent.parent / "test/run/Inputs/alpha-receptor.mlir").read_text()
    assert net.compile().bytes == snnc.compile(ir).bytes
    with pytest.raises(ValueError, match="e_rev applies to conductance"):
        snnc.Receptor("a", "alpha", tau=1e-3, e_rev=0.0)


def test_large_arrays_are_not_printed_element_by_element():
    net = snnc.Network()
    a = net.input("a", 1000)
    b = net.lif("b", 1000, tau=np.linspace(1e-3, 2e-3, 1000), v_threshold=1.0)
    w = np.random.default_rng(0).normal(size=(1000, 1000)).astype(np.float32)
    c = net.poisson_source("c", 2000, rate=5.0)
    pre = np.repeat(np.arange(2000), 50)
    post = np.random.default_rng(1).integers(0, 1000, pre.size)
    start = time.perf_counter()
    net.dense(a, b, w)
    net.sparse(c, b, pre, post, np.ones(pre.size) * 0.1)
    text = net.to_mlir()
    assert time.perf_counter() - start < 5.0
    assert 'dense<"0x' in text and "dense_resource<" in text and "dialect_resources" in text
    p = net.compile()
    assert p.inputs == [("a", (1000,))]


def test_recurrent_dense_and_identity_edges():
    net = snnc.Network()
    x = net.input("x", 3)
    h = net.cuba_lif("h", 3, tau_mem=1e-3, tau_syn=2e-4, r=10.0, v_threshold=1.0, w_in=2.0)
    net.identity(x, h)
    net.dense(h, h, -0.2 * (1 - np.eye(3)), name="rec")
    net.output("h_out", h)
    s = snnc.Session(snnc.Device(), net.compile(profile="snntorch"))
    s.set_input("x", np.array([1.0, 0.5, 0.0]))
    s.count("h_out")
    s.run(200)
    c = s.spike_counts("h_out")
    assert c[0] > c[1] > c[2] == 0


def test_parameters_change_between_compiles():
    """Population.set, as PyNN's set() and initialize() need."""
    net = snnc.Network()
    src = net.poisson_source("src", 50, rate=400.0, seed=5)
    dst = net.receptor_lif("dst", 50, tau_mem=1e-2, v_rest=0.0, v_reset=0.0,
                           v_threshold=1.0, r=1.0,
                           receptors=[snnc.Receptor("e", tau=5e-3)])
    net.connect(src, dst, "one_to_one", weight=60.0, receptor="e")
    net.output("out", dst)

    def total():
        return counts(net.compile(), 1000, ("out",))["out"].sum()
    before = total()
    dst.set(v_threshold=np.full(50, 2.0), refractory=2e-3)
    assert 0 < total() < before
    with pytest.raises(ValueError, match="'tau_mem' must be > 0"):
        dst.set(v_rest=0.5, tau_mem=-1.0)
    assert dst.parameters["v_rest"] == 0.0  # all or nothing
    with pytest.raises(TypeError, match="no parameter 'tau'"):
        dst.set(tau=1.0)
    src.set(rate=0.0)
    assert total() == 0


def test_mistakes_are_refused_naming_the_node():
    net = snnc.Network()
    a = net.lif("a", 4, tau=1e-3, v_threshold=1.0)
    r = net.receptor_lif("r", 2, tau_mem=1e-2, v_rest=0.0, v_reset=0.0, v_threshold=1.0,
                         receptors=[snnc.Receptor("exc", tau=1e-3)])
    with pytest.raises(ValueError, match="'a': the network already has"):
        net.lif("a", 4, tau=1e-3, v_threshold=1.0)
    with pytest.raises(ValueError, match=r"population 'b': parameter 'tau' must be > 0"):
        net.lif("b", 4, tau=-1.0, v_threshold=1.0)
    with pytest.raises(ValueError, match=r"'tau' has shape \(3,\).*\(4,\)"):
        net.lif("b", 4, tau=np.ones(3), v_threshold=1.0)
    with pytest.raises(TypeError, match="lif needs parameter 'v_threshold'"):
        net.population("lif", "b", 4, tau=1e-3)
    with pytest.raises(TypeError, match="no parameter 'tau_m'"):
        net.population("lif", "b", 4, tau_m=1e-3, v_threshold=1.0)
    with pytest.raises(ValueError, match=r"projection 'w' \(a -> a\): weight has shape"):
        net.dense(a, a, np.ones((3, 4)), name="w")
    with pytest.raises(ValueError, match=r"receptor= one of \['exc'\]"):
        net.connect(a, r, snnc.AllToAll(), weight=1.0)
    with pytest.raises(ValueError, match="got 'gaba'"):
        net.connect(a, r, snnc.AllToAll(), weight=1.0, receptor="gaba")
    with pytest.raises(ValueError, match="receptor= applies to receptor_lif"):
        net.connect(r, a, snnc.AllToAll(), weight=1.0, receptor="exc")
    with pytest.raises(ValueError, match="one_to_one needs source and target of one size"):
        net.connect(a, r, "one_to_one", weight=1.0, receptor="exc")
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]"):
        snnc.FixedProbability(1.5)
    with pytest.raises(ValueError, match="needs at most 3 distinct pairs"):
        net.connect(a, a, snnc.FixedInDegree(4), weight=1.0, autapses=False, multapses=False)
    with pytest.raises(ValueError, match=r"post_indices holds 7, outside \[0, 4\)"):
        net.sparse(a, a, [0, 1], [1, 7], 1.0)
    with pytest.raises(ValueError, match="a conductance receptor needs e_rev"):
        snnc.Receptor("g", "conductance", tau=1e-3)
    other = snnc.Network("other")
    with pytest.raises(TypeError, match="not a population of network 'network'"):
        net.dense(other.lif("z", 4, tau=1e-3, v_threshold=1.0), a, np.eye(4))
    # Nothing half-added: the refused nodes left no trace.
    assert [p.name for p in net.populations] == ["a", "r"] and not net.projections
    assert net.compile(report=True).report
