"""pyNN.snnc: runs PyNN 0.10 scripts on the snnc compiler and runtime.

`import pyNN.snnc as sim` (or `get_simulator` with "snnc") gives PyNN's API.
The network is compiled at the first run() and runs on an snnc device
(setup(device="cpu"), the default, or "cuda"); docs/pynn.md lists the
models, their mapping onto snnc and what is not supported.
"""

import logging

from neo.io import get_io
from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import *  # noqa: F401,F403 (PyNN's connectors are part of a backend's API)
from pyNN.parameters import ParameterSpace, Sequence  # noqa: F401 (pyNN.brian2 and pyNN.nest expose them too)
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import *  # noqa: F401,F403
from pyNN import space  # noqa: F401

from . import simulator
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection
from .standardmodels import (ACSource, DCSource, IF_cond_exp, IF_curr_alpha,  # noqa: F401
                             IF_curr_delta, IF_curr_exp, NoisyCurrentSource,
                             SpikeSourceArray, SpikeSourcePoisson, StaticSynapse,
                             StepCurrentSource)
from .unsupported import *  # noqa: F401,F403

logger = logging.getLogger("PyNN")

_OPTIONS = ("device", "threads", "procedural_threshold", "profile", "rng_seed")


def list_standard_models():
    """The StandardCellType classes this backend runs."""
    return [obj.__name__ for obj in (IF_curr_exp, IF_cond_exp, IF_curr_alpha, IF_curr_delta,
                                     SpikeSourcePoisson, SpikeSourceArray)]


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """Start a new network. Besides PyNN's arguments: device ("cpu", "cuda"),
    threads, rng_seed (seeds Poisson sources and rules without their own),
    procedural_threshold (pre size * post size from which connectors become
    compiler rules) and profile ("exact" or "euler"; by default exact, or
    euler when the network has conductance synapses)."""
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    state.clear()
    state.dt = timestep
    state.min_delay = min_delay
    state.max_delay = max_delay
    state.mpi_rank, state.num_processes = 0, 1   # snnc runs in one process
    for name in _OPTIONS:
        if name in extra_params:
            setattr(state, name, extra_params[name])
    return rank()


def end(compatible_output=True):
    """Write what record(..., to_file) asked for and release the session."""
    for population, variables, filename in simulator.state.write_on_end:
        population.write_data(get_io(filename), variables)
    simulator.state.write_on_end = []
    simulator.state.session = None


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, \
    num_processes, rank = common.build_state_queries(simulator)
create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)  # noqa: F405
record = common.build_record(simulator)


def record_v(source, filename):
    return record(["v"], source, filename)


def record_gsyn(source, filename):
    return record(["gsyn_exc", "gsyn_inh"], source, filename)
