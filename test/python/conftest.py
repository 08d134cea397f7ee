"""Shared fixtures of the Python tests (run by ctest as python-* tests).

ctest sets PYTHONPATH to the build tree's package, SNNC_BIN_DIR to the
tools and SNNC_EXTERNAL_DATA to the data corpus; run by hand:

    PYTHONPATH=build/python SNNC_BIN_DIR=build/bin \
        /usr/bin/python3 -m pytest test/python
"""

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
DATA = pathlib.Path(os.environ.get("SNNC_EXTERNAL_DATA", ROOT.parent / "shared" / "data"))
BIN = pathlib.Path(os.environ.get("SNNC_BIN_DIR", ROOT / "build" / "bin"))

# NIR's Python library, as the data corpus holds it (Debian has none).
if (DATA / "nir_python").is_dir():
    sys.path.insert(0, str(DATA / "nir_python"))


@pytest.fixture
def examples():
    return EXAMPLES


@pytest.fixture
def nir_corpus():
    path = DATA / "nir"
    if not path.is_dir():
        pytest.skip(f"the NIR corpus is not at {path} (set SNNC_EXTERNAL_DATA)")
    return path


@pytest.fixture
def nir_module():
    try:
        import nir
    except ImportError:
        pytest.skip(f"NIR's Python library is not at {DATA / 'nir_python'}")
    return nir


def _tool(name):
    exe = BIN / name
    if not exe.exists():
        pytest.skip(f"{name} is not at {exe} (set SNNC_BIN_DIR)")
    return exe


@pytest.fixture
def snn_run():
    """Runs the snn-run tool (quietly) and returns its stdout."""
    exe = _tool("snn-run")

    def run(*args):
        done = subprocess.run([str(exe), *map(str, args), "--quiet"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout
    return run


@pytest.fixture
def snnc_cli():
    """Runs the snnc tool; returns the CompletedProcess."""
    exe = _tool("snnc")
    return lambda *args: subprocess.run([str(exe), *map(str, args)],
                                        capture_output=True, text=True)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
