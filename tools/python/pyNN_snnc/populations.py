"""Populations of the snnc PyNN backend: parameters kept in NumPy until the
network is compiled; spike sources and injected currents fed per run."""

import numpy as np
from pyNN import common, errors
from lazyarray import larray as LazyArray
from pyNN.parameters import ArrayParameter, ParameterSpace, Sequence, simplify

from . import simulator
from . import standardmodels as models
from .recording import Recorder

# Parameters that are fed at run time, so they may change between runs.
_FED = {models.SpikeSourceArray: {"spike_times"}}
_NEVER = 1e9  # ms: a Poisson source with a longer duration never stops


def _evaluate(parameter_space, label):
    try:
        parameter_space.evaluate(simplify=False)
    except (TypeError, ValueError) as err:
        raise errors.InvalidParameterValueError(
            f"population '{label}': {err}; give numbers, arrays, sequences or "
            "pyNN.random distributions") from err


class Assembly(common.Assembly):
    _simulator = simulator


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        values = {}
        for name in names:
            value = self.parent._parameters[name]
            values[name] = simplify(value[self.mask])
        return ParameterSpace(values, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        self.parent._changing(parameter_space.keys())
        _evaluate(parameter_space, self.label)
        for name, value in parameter_space.items():
            self.parent._parameters[name][self.mask] = value

    def _set_initial_value_array(self, variable, initial_values):
        self.parent._set_initial_subset(variable, self.mask, initial_values)

    def initialize(self, **initial_values):
        for variable, value in initial_values.items():
            self._set_initial_value_array(
                variable, LazyArray(value, shape=(self.size,), dtype=float))

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        from .build import SUPPORTED
        if not isinstance(self.celltype, SUPPORTED):
            raise NotImplementedError(
                f"snnc has no cell type {type(self.celltype).__name__}: it has "
                "IF_curr_exp, IF_cond_exp, IF_curr_alpha, IF_curr_delta, "
                "SpikeSourcePoisson and SpikeSourceArray")
        simulator.state.mark_changed(f"the network (new population '{self.label}')")
        first = simulator.state.id_counter
        self.all_cells = np.array([simulator.ID(i) for i in range(first, first + self.size)],
                                  dtype=simulator.ID)
        self._mask_local = np.ones(self.size, dtype=bool)
        space = self.celltype.native_parameters
        space.shape = (self.size,)
        space.evaluate(simplify=False)
        self._parameters = space.as_dict()
        for cell in self.all_cells:
            cell.parent = self
        simulator.state.id_counter += self.size
        self._check_spike_times()
        self._v_init = np.zeros(self.size)
        self._current_sources = []
        self._input_events = []
        simulator.state.populations.append(self)

    # -- parameters -----------------------------------------------------------
    def _changing(self, names):
        fed = _FED.get(type(self.celltype), set())
        if isinstance(self.celltype, models.SpikeSourcePoisson) and not self._poisson_is_native():
            fed = {"rate", "start", "duration"}
        if set(names) - fed:
            simulator.state.mark_changed(
                f"parameters {sorted(set(names) - fed)} of population '{self.label}'")

    def _get_parameters(self, *names):
        return ParameterSpace({n: simplify(self._parameters[n]) for n in names},
                              shape=(self.size,))

    def _set_parameters(self, parameter_space):
        self._changing(parameter_space.keys())
        _evaluate(parameter_space, self.label)
        for name, value in parameter_space.items():
            self._parameters[name] = value
        self._check_spike_times()

    def _check_spike_times(self):
        if not isinstance(self.celltype, models.SpikeSourceArray):
            return
        for i, times in enumerate(self._parameters["spike_times"]):
            times = np.asarray(getattr(times, "value", times), float)
            if np.any(np.diff(times) < 0):
                raise errors.InvalidParameterValueError(
                    f"SpikeSourceArray '{self.label}': the spike times of neuron {i} are "
                    f"not in increasing order ({times.tolist()}); sort them")

    def _set_initial_value_array(self, variable, initial_values):
        self._set_initial_subset(variable, slice(None), initial_values)

    def _set_initial_subset(self, variable, mask, initial_values):
        if variable != "v":
            if np.any(np.asarray(initial_values.evaluate(simplify=False)) != 0):
                raise NotImplementedError(
                    f"snnc sets only the initial value of v (population '{self.label}' "
                    f"was given {variable})")
            return
        simulator.state.mark_changed(f"the initial v of population '{self.label}'")
        self._v_init[mask] = np.asarray(initial_values.evaluate(simplify=False), float)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    # -- inputs ---------------------------------------------------------------
    def _poisson_is_native(self):
        p = self._parameters
        return bool(np.all(np.asarray(p["start"], float) == 0)
                    and np.all(np.asarray(p["duration"], float) >= _NEVER))

    def _spike_input(self, first, steps):
        """Spike counts [steps, size] of an input-driven source, and its events."""
        dt = simulator.state.dt
        counts = np.zeros((steps, self.size), dtype=np.float32)
        if isinstance(self.celltype, models.SpikeSourceArray):
            for i, times in enumerate(self._parameters["spike_times"]):
                times = np.asarray(times.value if isinstance(times, (Sequence, ArrayParameter)) else times, float)
                rows = np.rint(times / dt).astype(np.int64) - first
                rows = rows[(rows >= 0) & (rows < steps)]
                np.add.at(counts[:, i], rows, 1.0)
        else:
            p = {k: np.asarray(v, float) for k, v in self._parameters.items()
                 if k in ("rate", "start", "duration")}
            t = (first + np.arange(steps))[:, None] * dt
            active = (t >= p["start"]) & (t < p["start"] + p["duration"])
            rng = np.random.default_rng(simulator.state.next_seed())
            counts[:] = (rng.random((steps, self.size)) < p["rate"] * dt * 1e-3) & active
        rows, cols = np.nonzero(counts)
        self._input_events.append((rows + first, cols))
        return counts

    def _feed_inputs(self, session, first, steps):
        if self._node_name is None:
            return
        if self._is_input():
            session.set_input(self._node_name, self._spike_input(first, steps))
        if self._current_sources:
            current = np.zeros((steps, self.size))
            # row r is the current of step first + r (it flows in that step)
            for source in self._current_sources:
                values = source.currents(first, steps)
                for population, indices in source._targets:
                    if population is self:
                        current[:, indices] += values[:, None]
            session.set_input(f"{self._node_name}_inj", current.astype(np.float32))

    def _is_input(self):
        """Fed from NumPy each run (fixed when the network is written)."""
        if self._fed is not None:
            return self._fed
        return isinstance(self.celltype, models.SpikeSourceArray) or (
            isinstance(self.celltype, models.SpikeSourcePoisson) and not self._poisson_is_native())

    _node_name = None
    _fed = None

    def _conductance_scale(self, columns):
        """r = tau_m / cm of the given neurons: a conductance relative to the
        leak divided by it is in µS."""
        r = np.asarray(self._parameters["tau_m"], float) / np.asarray(self._parameters["cm"], float)
        return np.broadcast_to(r, (self.size,))[columns]
