"""snnc: compile spiking networks and run them, from Python.

    import snnc
    program = snnc.compile("model.nir", profile="snntorch")   # or IR text,
    session = snnc.Session(snnc.Device("cpu"), program)      # a NIRGraph,
    session.set_input("input", x)                            # a Network
    session.record("output")
    session.run(100)
    spikes = session.spikes("output")                        # [T, ...] uint8

The compiler and the runtime are the C++ ones the ``snnc`` and ``snn-run``
tools use (docs/python.md). Networks can also be built in Python with
:class:`snnc.Network` instead of written as MLIR.
"""

from ._snnc import Device, Program, Session
from ._compile import compile, to_mlir
from .builder import Network, Population, Projection, Receptor
from .connectivity import (AllToAll, Constant, Distribution, FixedInDegree,
                           FixedOutDegree, FixedProbability, FixedTotalNumber,
                           LogNormal, Normal, OneToOne, Rule, Uniform)
from .errors import (CompileError, DataLossError, Error,
                     FailedPreconditionError, InternalError,
                     InvalidArgumentError, NotFoundError, UnavailableError,
                     UnimplementedError)

# What snnc.compile attaches to the programs it makes; a loaded program has
# neither report nor compiler output.
Program.report = None
Program.log = ""

__all__ = [
    "compile", "to_mlir", "Program", "Device", "Session",
    "Network", "Population", "Projection", "Receptor",
    "Distribution", "Constant", "Normal", "LogNormal", "Uniform",
    "Rule", "AllToAll", "OneToOne", "FixedProbability", "FixedInDegree",
    "FixedOutDegree", "FixedTotalNumber",
    "Error", "CompileError", "InvalidArgumentError", "NotFoundError",
    "DataLossError", "UnavailableError", "UnimplementedError",
    "FailedPreconditionError", "InternalError",
]
