"""snnc.compile: every source kind, the options, and refusals."""

import json

import numpy as np
import pytest

import snnc
from conftest import DATA

BRAILLE = "NIR_repo/paper/03_rnn/braille_noDelay_bias_zero.nir"


def test_mlir_file_compiles_to_a_program(examples):
    p = snnc.compile(examples / "rsnn.mlir", profile="snntorch", dt=np.float32(1e-4))
    assert isinstance(p, snnc.Program)
    assert p.dt == pytest.approx(1e-4)
    assert p.profile == "snntorch"
    assert p.inputs == [("input", (4,))]
    assert p.outputs == [("output", (3,))]
    assert "lif1" in p.populations
    assert p.info["network"] == "rsnn" and p.info["mode"] == "Float"


def test_same_bytes_as_the_cli(examples, snnc_cli, tmp_path):
    """The bindings and the command line run the same driver."""
    out = tmp_path / "rsnn.snnb"
    done = snnc_cli(examples / "rsnn.mlir", "-o", out, "--profile", "snntorch",
                    "--mode", "fixed")
    assert done.returncode == 0, done.stderr
    p = snnc.compile(str(examples / "rsnn.mlir"), profile="snntorch", mode="fixed")
    assert p.bytes == out.read_bytes()


def test_text_and_file_agree(examples):
    text = (examples / "rsnn.mlir").read_text()
    assert snnc.compile(text).bytes == snnc.compile(examples / "rsnn.mlir").bytes


def test_save_load_and_from_bytes(examples, tmp_path):
    p = snnc.compile(examples / "cuba.mlir")
    path = tmp_path / "cuba.snnb"
    p.save(path)
    assert snnc.Program.load(path).bytes == p.bytes
    assert snnc.Program.load(p.bytes).bytes == p.bytes
    assert snnc.Program.load(str(path)).origin == str(path)
    q = snnc.Program.from_bytes(p.bytes, "copy")
    assert q.origin == "copy" and q.populations == ["exc", "inh"]
    assert q.report is None and q.log == ""


def test_nir_file(nir_corpus):
    p = snnc.compile(nir_corpus / BRAILLE, profile="snntorch")
    assert p.inputs[0][1] == (12,)
    assert p.info["network"] == "braille_noDelay_bias_zero"


def test_nir_graph_object_in_one_call(nir_module):
    nir = nir_module
    g = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([3])}),
            "fc": nir.Linear(weight=np.array([[1.0, 0, 0], [0, 2.0, 0]])),
            "lif": nir.LIF(tau=np.full(2, 1e-3), r=np.full(2, 10.0),
                           v_leak=np.zeros(2), v_threshold=np.ones(2)),
            "output": nir.Output(output_type={"output": np.array([2])}),
        },
        edges=[("input", "fc"), ("fc", "lif"), ("lif", "output")])
    p = snnc.compile(g, profile="snntorch", network_name="tiny")
    assert p.info["network"] == "tiny"
    s = snnc.Session(snnc.Device(), p)
    s.set_input("input", np.array([1.0, 1.0, 0.0], dtype=np.float32))
    s.count("output")
    s.run(100)
    counts = s.spike_counts("output")
    assert counts[1] > counts[0] > 0  # twice the weight, more spikes


def test_nir_graph_errors_name_the_graph(nir_module):
    nir = nir_module
    g = nir.NIRGraph(
        nodes={"input": nir.Input(input_type={"input": np.array([2])}),
               "lif": nir.LIF(tau=np.array([1e-3, 0.0]), r=np.ones(2),
                              v_leak=np.zeros(2), v_threshold=np.ones(2)),
               "output": nir.Output(output_type={"output": np.array([2])})},
        edges=[("input", "lif"), ("lif", "output")])
    with pytest.raises(snnc.CompileError) as e:
        snnc.compile(g)
    assert str(e.value).startswith("<nir.NIRGraph>: error:")
    assert "node 'lif'" in str(e.value) and "'tau' element 1 is zero" in str(e.value)
    assert "snnc-" not in str(e.value)  # no temporary path


def test_warnings_become_python_warnings(nir_module):
    nir = nir_module
    g = nir.NIRGraph(
        nodes={"input": nir.Input(input_type={"input": np.array([2])}),
               "lif": nir.LIF(tau=np.array([1e-3, -1.0]), r=np.ones(2),
                              v_leak=np.zeros(2), v_threshold=np.ones(2)),
               "output": nir.Output(output_type={"output": np.array([2])})},
        edges=[("input", "lif"), ("lif", "output")])
    with pytest.warns(RuntimeWarning, match="'tau' values are negative"):
        p = snnc.compile(g)
    assert "warning" in p.log


def test_reports(examples):
    p = snnc.compile(examples / "cuba.mlir", report=True)
    assert "ee: exc -> exc, sparse" in p.report
    j = snnc.compile(examples / "rsnn.mlir", report="json")
    assert isinstance(j.report, dict) and j.report
    json.dumps(j.report)


def test_to_mlir(examples):
    ir = snnc.to_mlir(examples / "rsnn.mlir", profile="snntorch")
    assert "snn.discrete" in ir or "discret" in ir
    assert "nmc.program" in snnc.to_mlir(examples / "rsnn.mlir", emit="nmc")
    with pytest.raises(ValueError, match="unknown option 'tau'"):
        snnc.to_mlir(examples / "rsnn.mlir", tau=1.0)


def test_missing_file():
    with pytest.raises(FileNotFoundError) as e:
        snnc.compile("no/such/model.nir")
    assert e.value.filename == "no/such/model.nir"


def test_bad_text_names_the_line():
    text = 'snn.network @n {\n  %x = snn.input "x" : tensor<2xf32>\n  %y = snn.lif "y"(%x) {tau = oops} : tensor<2xf32>\n}\n'
    with pytest.raises(snnc.CompileError) as e:
        snnc.compile(text, name="net.mlir")
    assert "net.mlir:3:" in str(e.value)
    assert e.value.diagnostics.startswith("net.mlir:3:")


def test_bad_options():
    with pytest.raises(ValueError, match="mode must be one of"):
        snnc.compile("x.mlir", mode="double")
    with pytest.raises(ValueError, match="dt must be a positive"):
        snnc.compile("x.mlir", dt=-1)
    with pytest.raises(TypeError, match="expected a path"):
        snnc.compile(42)


def test_compiler_refusals_are_compile_errors(examples):
    with pytest.raises(snnc.CompileError, match="profile"):
        snnc.compile(examples / "rsnn.mlir", profile="nonesuch")
    with pytest.raises(snnc.CompileError, match="target"):
        snnc.compile(examples / "rsnn.mlir", target="no-such-chip")
    with pytest.raises(snnc.CompileError, match="need --convert"):
        snnc.compile(examples / "rsnn.mlir", norm="max")


def test_onnx_conversion_with_a_calibration_array(snnc_cli, tmp_path):
    """--convert with the calibration given as an array, as the CLI's file."""
    onnx = DATA / "onnx" / "digits_cnn.onnx"
    samples = DATA / "onnx" / "digits_cnn_test_inputs.npy"
    if not onnx.exists():
        pytest.skip(f"the ONNX corpus is not at {onnx.parent}")
    with pytest.raises(snnc.CompileError, match="convert them to a spiking network"):
        snnc.compile(onnx)
    p = snnc.compile(onnx, convert=True, readout="count",
                     calibration=np.load(samples))
    out = tmp_path / "cnn.snnb"
    done = snnc_cli(onnx, "--convert", "--readout", "count", "--calibration",
                    samples, "-o", out)
    assert done.returncode == 0, done.stderr
    assert p.bytes == out.read_bytes()
