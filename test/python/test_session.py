"""snnc.Session against snn-run on the same artifact, and its refusals."""

import threading

import numpy as np
import pytest

import snnc

BRAILLE = "NIR_repo/paper/03_rnn/braille_noDelay_bias_zero.nir"


@pytest.fixture
def rsnn(examples, tmp_path):
    p = snnc.compile(examples / "rsnn.mlir", profile="snntorch", dt=1e-4)
    path = tmp_path / "rsnn.snnb"
    p.save(path)
    return p, path


def test_rsnn_matches_snn_run(rsnn, examples, snn_run, tmp_path):
    program, path = rsnn
    x = np.load(examples / "rsnn_input.npy")
    snn_run(path, "--input", f"input={examples / 'rsnn_input.npy'}", "--steps", 300,
            "--record", f"lif1={tmp_path / 'lif1.npy'}",
            "--record", f"output={tmp_path / 'out.npy'}",
            "--record-events", f"lif1={tmp_path / 'ev.npy'}")
    s = snnc.Session(snnc.Device("cpu", threads=1), program)
    s.set_input("input", x)
    s.record("lif1")
    s.record("output")
    s.run(300)
    spikes = s.spikes("lif1")
    assert spikes.dtype == np.uint8 and spikes.shape == (300, 6)
    np.testing.assert_array_equal(spikes, np.load(tmp_path / "lif1.npy"))
    assert spikes.sum() > 0
    np.testing.assert_array_equal(s.state("output"), np.load(tmp_path / "out.npy"))
    events = s.spike_events("lif1")
    assert events.dtype == np.int64 and events.shape[1] == 2
    np.testing.assert_array_equal(events, np.load(tmp_path / "ev.npy"))
    np.testing.assert_array_equal(s.spike_counts("lif1"), spikes.sum(axis=0))
    first = s.first_spike("lif1")
    assert first.dtype == np.int64 and first.shape == (6,)


def test_braille_matches_snn_run(nir_corpus, snn_run, tmp_path, rng):
    program = snnc.compile(nir_corpus / BRAILLE, profile="snntorch")
    path = tmp_path / "braille.snnb"
    program.save(path)
    x = (rng.random((256, 12)) < 0.3).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    out_name = program.outputs[0][0]
    snn_run(path, "--input", f"input={tmp_path / 'x.npy'}", "--steps", 256,
            "--record", f"{out_name}={tmp_path / 'o.npy'}")
    s = snnc.Session(snnc.Device(), program)
    s.set_input("input", x)
    s.record(out_name)
    s.run(256)
    got = s.spikes(out_name) if s.is_spiking(out_name) else s.state(out_name)
    np.testing.assert_array_equal(got, np.load(tmp_path / "o.npy"))


def test_arrays_own_the_moved_buffers(rsnn, examples):
    program, _ = rsnn
    s = snnc.Session(snnc.Device(), program)
    s.set_input("input", np.load(examples / "rsnn_input.npy"))
    s.record_state("lif1", [0, 5])
    s.run(50)
    assert s.state_neurons("lif1") == [0, 5]
    v = s.take_state("lif1")
    assert v.shape == (50, 2) and v.dtype == np.float32
    assert not v.flags.owndata and v.base is not None  # the runtime's buffer
    with pytest.raises(snnc.FailedPreconditionError, match="taken out"):
        s.state("lif1")
    del s
    assert np.isfinite(v).all()  # still valid without the session


def test_reset_and_continue(rsnn, examples):
    program, _ = rsnn
    x = np.load(examples / "rsnn_input.npy")
    s = snnc.Session(snnc.Device(), program)
    s.record("lif1")
    s.set_input("input", x)
    s.run(300)
    whole = s.spikes("lif1").copy()
    s.reset()
    with pytest.raises(snnc.FailedPreconditionError, match="input 'input' was not set"):
        s.run(10)
    s.set_input("input", x)
    s.run(300)
    np.testing.assert_array_equal(s.spikes("lif1"), whole)
    assert s.stats["steps"] == 300


def test_run_releases_the_gil(examples):
    program = snnc.compile(examples / "cuba.mlir")
    s = snnc.Session(snnc.Device(threads=1), program)
    s.count("exc_spikes")
    # Long enough (about half a second) for the main thread to count far.
    t = threading.Thread(target=s.run, args=(200000,))
    ticks = 0
    t.start()
    while t.is_alive():
        ticks += 1
        if ticks == 1000:
            # Another thread may not reach the session while it runs.
            with pytest.raises(snnc.FailedPreconditionError, match="another thread"):
                s.spike_counts("exc_spikes")
    t.join()
    # Held, the GIL would have kept this thread still until run() returned.
    assert ticks > 10000, ticks
    assert s.spike_counts("exc_spikes").sum() > 0


def test_refusals(rsnn, examples):
    program, _ = rsnn
    s = snnc.Session(snnc.Device(), program)
    with pytest.raises(snnc.NotFoundError, match="no input named 'nope'"):
        s.set_input("nope", np.zeros(4))
    with pytest.raises(snnc.InvalidArgumentError, match=r"input 'input'.*\[4\]") as e:
        s.set_input("input", np.zeros(5))
    assert isinstance(e.value, ValueError) and isinstance(e.value, snnc.Error)
    with pytest.raises(snnc.FailedPreconditionError, match="set_input"):
        s.run(10)
    s.set_input("input", np.zeros(4))
    with pytest.raises(snnc.FailedPreconditionError, match=r"call record\(\) before run"):
        s.spikes("lif1")
    s.record("lif1")
    with pytest.raises(snnc.FailedPreconditionError, match="call run"):
        s.spikes("lif1")
    with pytest.raises(snnc.InvalidArgumentError, match="positive"):
        s.run(0)
    with pytest.raises(snnc.NotFoundError, match="'ghost'"):
        s.record("ghost")
    with pytest.raises(snnc.NotFoundError, match="unknown backend 'tpu'"):
        snnc.Device("tpu")
    with pytest.raises(snnc.Error) as e:
        snnc.Program.from_bytes(b"not an artifact", "junk.snnb")
    assert "junk.snnb" in str(e.value)
    with pytest.raises(snnc.Error):
        snnc.Program.load("/no/such/file.snnb")


def test_rtl_backend_agrees_with_cpu(nir_corpus, rng):
    """A mapped fixed-point artifact on the Verilated chip, bit for bit."""
    if "rtl" not in snnc.Device.names():
        pytest.skip("this build has no rtl backend (Verilator not found)")
    program = snnc.compile(nir_corpus / BRAILLE, profile="snntorch", mode="fixed",
                           target="snncore")
    assert program.info["mapped"] and program.info["mode"] == "Fixed"
    x = (rng.random((100, 12)) < 0.3).astype(np.float32)
    out = program.outputs[0][0]
    runs = []
    for device in ("cpu", "rtl"):
        s = snnc.Session(snnc.Device(device), program)
        s.set_input("input", x)
        s.record(out)
        s.run(100)
        runs.append(s.spike_events(out))
    np.testing.assert_array_equal(runs[0], runs[1])
    assert len(runs[0]) > 0


def test_cuda_without_a_gpu_says_why():
    if "cuda" not in snnc.Device.names():
        pytest.skip("this build has no cuda backend")
    try:
        snnc.Device("cuda")
    except snnc.UnavailableError as e:
        assert str(e)  # the reason, e.g. no CUDA device
    # On a machine with a GPU it opens, which is fine too.


def test_receptor_states_match_snn_run(examples, snn_run, tmp_path, rng):
    """record_receptor: an alpha receptor's current, as snn-run records it."""
    path = tmp_path / "alpha.snnb"
    snnc.compile(examples.parent.parent / "test/run/Inputs/alpha-receptor.mlir").save(path)
    events = (rng.random((300, 1)) < 0.05).astype(np.float32)
    np.save(tmp_path / "src.npy", events)
    for neurons, file in ((None, "g.npy"), ([1], "g1.npy")):
        # One selection per snn-run: a second of the same receptor replaces
        # the first (Session::recordReceptor).
        spec = "n:a" if neurons is None else "n:a[1]"
        snn_run(path, "--input", f"src={tmp_path / 'src.npy'}", "--steps", 300,
                "--record-receptor", f"{spec}={tmp_path / file}")
        s = snnc.Session(snnc.Device(), snnc.Program.load(path))
        s.set_input("src", events)
        s.record_receptor("n", "a", neurons)
        s.run(300)
        g = s.receptor_state("n", "a")
        np.testing.assert_array_equal(g, np.load(tmp_path / file))
    assert g.shape == (300, 1) and g.max() > 0
    with pytest.raises(snnc.InvalidArgumentError, match="has no receptor 'b'; its receptors: a"):
        s.record_receptor("n", "b")
