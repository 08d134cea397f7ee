"""snnc.compile: the snnc command line as a function.

Accepts what ``snnc`` reads (a NIR, ONNX or .mlir path), snn dialect IR as
a string, or a ``nir.NIRGraph`` object from NIR's Python library, with the
command line's options under Python names, and returns a Program in memory.
"""

import errno
import json
import numbers
import os
import re
import tempfile
import warnings

from . import _snnc
from .builder import Network
from .errors import CompileError

_CHOICES = {
    "mode": ("float", "fixed"),
    "reset": ("zero", "subtract"),
    "expand_connectivity": ("auto", "compile", "load"),
    "norm": ("max", "p99.9"),
    "readout": ("membrane", "count"),
    "input_encoding": ("current", "rate"),
}
_SUFFIXES = (".nir", ".h5", ".hdf5", ".onnx", ".mlir")


def _is_nir_graph(obj):
    return type(obj).__name__ == "NIRGraph" and hasattr(obj, "nodes") \
        and hasattr(obj, "edges")


def _options(kw):
    """The keyword arguments checked and turned into the driver's options
    (each one a CLI option of the same name, with dashes)."""
    out = {}
    for key, value in kw.items():
        if value is None or value is False:
            continue
        if key in _CHOICES and value not in _CHOICES[key]:
            raise ValueError(f"snnc.compile: {key} must be one of "
                             f"{', '.join(map(repr, _CHOICES[key]))}, got {value!r}")
        if key == "dt" and not (isinstance(value, numbers.Real) and value > 0):
            raise ValueError(f"snnc.compile: dt must be a positive number of "
                             f"seconds, got {value!r}")
        if key in ("timesteps", "memory_budget_mib") and not (
                isinstance(value, numbers.Integral) and value > 0):
            raise ValueError(f"snnc.compile: {key} must be a positive integer, "
                             f"got {value!r}")
        if key == "report":
            value = "text" if value is True else value
            if value not in ("text", "json"):
                raise ValueError(f"snnc.compile: report must be True, 'text' or "
                                 f"'json', got {value!r}")
        if key == "target":
            value = os.fspath(value)
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            value = float(value) if key == "dt" else int(value)  # NumPy scalars
        out[key] = value
    return out


def _source(source, name):
    """(path, text) for the driver; text is None for files."""
    if isinstance(source, os.PathLike):
        return os.fspath(source), None
    if not isinstance(source, str):
        raise TypeError(f"snnc.compile: expected a path, snn dialect IR text or "
                        f"a nir.NIRGraph, got {type(source).__name__}")
    if "\n" in source or "{" in source:
        return name, source
    if not os.path.exists(source):
        hint = "" if source.endswith(_SUFFIXES) else (
            " (a string without a newline or '{' is taken as a path; "
            "pass IR text as the whole module)")
        raise FileNotFoundError(errno.ENOENT,
                                f"snnc.compile: no such file{hint}", source)
    return source, None


def _write_nir(path, graph):
    import nir  # lazily: NIR's library is only needed for graph objects
    if not hasattr(nir, "version"):
        # NIR's library used from a source folder (not installed) has no
        # package metadata, hence no nir.version, which nir.write stores in
        # the file; the importer accepts any 1.x.
        nir.version = "1.0.0"
    nir.write(path, graph)


def _run(source, emit, name, kw, tmp):
    if isinstance(source, Network):
        name = f"<network {source.name}>" if name == "<string>" else name
        source = source.to_mlir()
    if _is_nir_graph(source):
        path = os.path.join(tmp, (kw.get("network_name") or "nir_graph") + ".nir")
        _write_nir(path, source)
        source = path
        name = "<nir.NIRGraph>"
    else:
        path = None
    calibration = kw.get("calibration")
    if calibration is not None and not isinstance(calibration, (str, os.PathLike)):
        import numpy as np
        kw["calibration"] = os.path.join(tmp, "calibration.npy")
        np.save(kw["calibration"], np.asarray(calibration, dtype=np.float32))
    elif calibration is not None:
        kw["calibration"] = os.fspath(calibration)
    options = _options(kw)
    input_path, text = _source(source, name)
    ok, artifact, ir, diag, report = _snnc.compile(
        input_path, text, emit, "", options)
    if path:
        # Messages name the graph, not a temporary file.
        diag = diag.replace(path, name)
    if not ok:
        raise CompileError(diag or "snnc: error: compilation failed")
    # What the program says it came from: the file, or the name of the
    # text or graph (never a temporary file).
    origin = input_path if text is None and not path else name
    return artifact, ir, diag, report, origin


def _with_tmp(fn):
    with tempfile.TemporaryDirectory(prefix="snnc-") as tmp:
        return fn(tmp)


def compile(source, *, dt=None, profile=None, reset=None, mode="float",
            target=None, expand_connectivity=None, memory_budget_mib=None,
            report=None, convert=False, calibration=None, norm=None,
            readout=None, timesteps=None, input_encoding=None, qcfs=False,
            network_name=None, nir_repair_edges=False,
            nir_transpose_weights=False, expansion_budget_bytes=0,
            name="<string>"):
    """Compiles a network to a :class:`snnc.Program`.

    ``source``: a path (.nir, .onnx, .mlir), snn dialect IR text (a string
    holding a newline or ``{``), a ``nir.NIRGraph`` or a
    :class:`snnc.Network`. The options are the
    ``snnc`` command line's (docs/python.md lists them): ``dt`` (seconds),
    ``profile`` (exact, euler, snntorch, norse, ...), ``reset`` ("zero",
    "subtract"), ``mode`` ("float", "fixed"), ``target`` (a preset or
    description file), ``expand_connectivity``, ``memory_budget_mib``,
    ``report`` (True/"text" or "json": kept in ``program.report``), and the
    ANN conversion (``convert=True`` with ``calibration``, a path or an
    array, ``norm``, ``readout``, ``timesteps``, ``input_encoding``,
    ``qcfs``). ``name`` names IR text in messages.

    Raises :class:`snnc.CompileError` with the compiler's diagnostics,
    FileNotFoundError for a missing file, ValueError for a bad option.
    """
    kw = dict(dt=dt, profile=profile, reset=reset, mode=mode, target=target,
              expand_connectivity=expand_connectivity,
              memory_budget_mib=memory_budget_mib, report=report,
              convert=convert, calibration=calibration, norm=norm,
              readout=readout, timesteps=timesteps,
              input_encoding=input_encoding, qcfs=qcfs,
              network_name=network_name, nir_repair_edges=nir_repair_edges,
              nir_transpose_weights=nir_transpose_weights)
    artifact, _, diag, json_report, origin = _with_tmp(
        lambda tmp: _run(source, "snnb", name, kw, tmp))
    program = _snnc.Program.from_bytes(artifact, origin, expansion_budget_bytes)
    program.log = diag
    program.report = None
    if report == "json":
        program.report = json.loads(json_report) if json_report.strip() else None
    elif report:
        program.report = diag
    elif re.search(r": warning: ", diag):
        warnings.warn(diag.rstrip(), RuntimeWarning, stacklevel=2)
    return program


def to_mlir(source, *, emit="mlir", locations=False, name="<string>",
            **options):
    """The IR ``snnc --emit=mlir`` (or ``emit="nmc"``) prints for `source`:
    as imported (after ``convert=True``, the converted network), or
    discretized when dt/profile/reset are given. `options` are those of
    :func:`compile`; `locations` adds each op's location."""
    if emit not in ("mlir", "nmc"):
        raise ValueError(f"snnc.to_mlir: emit must be 'mlir' or 'nmc', got {emit!r}")
    options["locations"] = locations
    return _with_tmp(lambda tmp: _run(source, emit, name, options, tmp))[1]
