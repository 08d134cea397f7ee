"""PyNN's standard models that snnc has, under their PyNN names and units.

Native parameter names are PyNN's own: the conversion to snnc's units is
done once, when the network is written (build.py), so that get() returns
what set() was given.
"""

import numpy as np
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import (StandardCurrentSource, build_translations,
                                 cells, electrodes, synapses)

from .simulator import state


def _same_names(celltype):
    return build_translations(*[(n, n) for n in celltype.default_parameters])


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _same_names(cells.IF_curr_exp)


class IF_curr_alpha(cells.IF_curr_alpha):
    __doc__ = cells.IF_curr_alpha.__doc__
    translations = _same_names(cells.IF_curr_alpha)


class IF_cond_exp(cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    translations = _same_names(cells.IF_cond_exp)


class IF_curr_delta(cells.IF_curr_delta):
    __doc__ = cells.IF_curr_delta.__doc__
    translations = _same_names(cells.IF_curr_delta)


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _same_names(cells.SpikeSourcePoisson)


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _same_names(cells.SpikeSourceArray)


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = build_translations(("weight", "weight"), ("delay", "delay"))

    def _get_minimum_delay(self):
        return state.dt if state._min_delay == "auto" else state._min_delay


class _CurrentSource(StandardCurrentSource):
    """A current source is an input of the compiled network: its current is
    computed here for each run's steps, so its parameters may change
    between runs."""

    def __init__(self, **parameters):
        object.__setattr__(self, "_native", {})
        object.__setattr__(self, "_targets", [])   # (population, indices)
        object.__setattr__(self, "_recorded", None)
        super(StandardCurrentSource, self).__init__(**parameters)
        space = ParameterSpace(self.default_parameters, self.get_schema(), shape=(1,))
        space.update(**parameters)
        self.set_native_parameters(self.translate(space))

    def set_native_parameters(self, parameters):
        parameters.evaluate(simplify=True)
        for name, value in parameters.items():
            if isinstance(value, Sequence):
                value = value.value
            value = np.array(value, dtype=float) if np.ndim(value) else float(value)
            self._native[name] = value
            object.__setattr__(self, name, value)   # source.times reads the array
        self._check()

    def get_native_parameters(self):
        return ParameterSpace(
            {k: (Sequence(v) if np.ndim(v) else v) for k, v in self._native.items()},
            self.get_schema(), shape=(1,))

    def _check(self):
        pass

    def inject_into(self, cells):
        by_parent = {}
        for cell in cells:
            if not cell.celltype.injectable:
                raise TypeError(f"snnc cannot inject a current into {cell.celltype.__class__.__name__} "
                                f"cell {int(cell)}: it is a spike source")
            by_parent.setdefault(cell.parent, []).append(cell.parent.id_to_index(cell))
        for population, indices in by_parent.items():
            if not population._current_sources:
                state.mark_changed(f"the current sources of population '{population.label}'")
            population._current_sources.append(self)
            self._targets.append((population, np.asarray(indices, dtype=int)))

    def record(self):
        self._recorded = {}

    def currents(self, first, steps):
        """The current (nA) of steps first .. first+steps-1, each evaluated
        at its start time k dt (and recorded so, when asked)."""
        t = (first + np.arange(steps)) * state.dt
        values = self._values(t)
        if self._recorded is not None:
            self._recorded[first] = (t, values)
        return values

    def _get_data(self):
        """Samples at 0, dt, ..., t: the current of the step starting there."""
        n = state.step + 1
        t = np.arange(n) * state.dt
        i = np.zeros(n)
        for first, (_, values) in sorted((self._recorded or {}).items()):
            k = min(values.size, n - first)
            if k > 0:
                i[first:first + k] = values[:k]
        i[-1] = self._values(t[-1:])[0]
        return t, i

    def _window(self, t):
        start = self._native.get("start", 0.0)
        stop = self._native.get("stop", np.inf)
        return (t >= start - state.dt / 2) & (t < stop - state.dt / 2)


class DCSource(_CurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = build_translations(("amplitude", "amplitude"), ("start", "start"),
                                      ("stop", "stop"))

    def _values(self, t):
        return np.where(self._window(t), self._native["amplitude"], 0.0)


class ACSource(_CurrentSource, electrodes.ACSource):
    __doc__ = electrodes.ACSource.__doc__
    translations = build_translations(
        ("amplitude", "amplitude"), ("start", "start"), ("stop", "stop"),
        ("frequency", "frequency"), ("offset", "offset"), ("phase", "phase"))

    def _values(self, t):
        p = self._native
        wave = p["offset"] + p["amplitude"] * np.sin(
            2 * np.pi * (p["frequency"] * (t - p["start"]) * 1e-3 + p["phase"] / 360.0))
        return np.where(self._window(t), wave, 0.0)


class StepCurrentSource(_CurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = build_translations(("amplitudes", "amplitudes"), ("times", "times"))

    def _check(self):
        times = np.atleast_1d(self._native.get("times", np.zeros(0)))
        amplitudes = np.atleast_1d(self._native.get("amplitudes", np.zeros(0)))
        if times.shape != amplitudes.shape:
            raise ValueError(f"StepCurrentSource: {times.size} times but {amplitudes.size} "
                             "amplitudes; give one amplitude per time")
        if np.any(times < 0):
            raise ValueError("StepCurrentSource cannot accept negative timestamps")
        if np.any(np.diff(times) <= 0):
            raise ValueError("StepCurrentSource: times must increase monotonically")
        # on the time grid, a later step replaces an earlier one of the same step
        grid = np.rint(times / state.dt) * state.dt
        keep = np.append(np.diff(grid) > 0, True) if grid.size else np.zeros(0, bool)
        for name, value in (("times", grid[keep]), ("amplitudes", amplitudes[keep])):
            self._native[name] = value
            object.__setattr__(self, name, value)

    def _values(self, t):
        times = np.atleast_1d(self._native["times"])
        amplitudes = np.atleast_1d(self._native["amplitudes"])
        if times.size == 0:
            return np.zeros_like(t)
        # the step that starts at times[j] (rounded to the grid) holds amplitudes[j]
        grid = np.rint(times / state.dt) * state.dt
        j = np.searchsorted(grid, t + state.dt / 2, side="right") - 1
        return np.where(j >= 0, amplitudes[np.maximum(j, 0)], 0.0)


class NoisyCurrentSource(_CurrentSource, electrodes.NoisyCurrentSource):
    __doc__ = electrodes.NoisyCurrentSource.__doc__
    translations = build_translations(("mean", "mean"), ("start", "start"), ("stop", "stop"),
                                      ("stdev", "stdev"), ("dt", "dt"))

    def _values(self, t):
        p = self._native
        interval = p["dt"] if p["dt"] > 0 else state.dt
        rng = np.random.default_rng(state.next_seed())
        held = np.floor((t - p["start"]) / interval + 1e-9)
        draws = rng.normal(p["mean"], p["stdev"], size=t.size)
        _, first = np.unique(held, return_index=True)
        values = draws[first][np.searchsorted(np.unique(held), held)]
        return np.where(self._window(t), values, 0.0)
