"""Recording for the snnc PyNN backend: the session's recordings of each run
appended to per-population buffers, handed to PyNN's Recorder, which makes
the Neo blocks."""

import numpy as np
from pyNN import recording

from . import simulator

_RECEPTOR = {"gsyn_exc": "exc", "gsyn_inh": "inh"}


class Recorder(recording.Recorder):
    _simulator = simulator

    def __init__(self, population, file=None):
        recording.Recorder.__init__(self, population, file)
        self._spikes = []      # (ids, times) per run
        self._signals = {}     # variable -> list of [steps, k] arrays, first the initial row
        self._columns = {}     # variable -> recorded neuron indices (sorted)

    def _record(self, variable, new_ids, sampling_interval=None):
        if sampling_interval is not None:
            ratio = sampling_interval / self._simulator.state.dt
            if abs(ratio - round(ratio)) > 1e-9 or round(ratio) < 1:
                raise NotImplementedError(
                    f"snnc records every step or every n steps; sampling_interval "
                    f"{sampling_interval} ms is not a multiple of dt "
                    f"{self._simulator.state.dt} ms")
            self.sampling_interval = sampling_interval

    # -- called by the simulator --------------------------------------------
    def _initial_row(self, variable, columns):
        if variable == "v":
            return self.population._v_init[columns][None, :]
        return np.zeros((1, len(columns)))

    def _configure(self, session):
        """Choose the session's recordings before a run (selections may have
        changed since the last one)."""
        population = self.population
        node = population._node_name
        if self.recorded.get("spikes") and not population._is_input():
            session.record(node)
        for variable, ids in self.recorded.items():
            if variable == "spikes" or not ids:
                continue
            columns = np.sort(population.id_to_index(np.fromiter(ids, dtype=int)))
            previous = self._columns.get(variable)
            if previous is not None and np.array_equal(previous, columns) and \
                    variable in self._signals:
                continue
            if self._signals.get(variable) and self._simulator.state.step > 0:
                raise NotImplementedError(
                    f"snnc cannot change which neurons of '{population.label}' record "
                    f"{variable} in the middle of a simulation; record before run() "
                    "or after reset()")
            self._columns[variable] = columns
            self._signals[variable] = [self._initial_row(variable, columns)]
            if variable == "v":
                session.record_state(node, columns.tolist())
            elif variable in _RECEPTOR:
                session.record_receptor(node, _RECEPTOR[variable], columns.tolist())

    def _start(self, session):
        """A fresh session or a reset() one: recordings start again."""
        self._spikes = []
        self._signals = {}
        self._columns = {}
        self.population._input_events = []

    def _harvest(self, session, first, steps):
        population = self.population
        dt = self._simulator.state.dt
        if "spikes" in self.recorded:
            if population._is_input():
                rows, cols = population._input_events[-1]
                times = rows * dt
            else:
                events = session.spike_events(population._node_name)
                rows, cols = events[:, 0] + first, events[:, 1]
                times = (rows + 1) * dt
            self._spikes.append((population.all_cells[cols].astype(int), times))
        for variable, columns in self._columns.items():
            if variable == "v":
                values = session.state(population._node_name)
            else:
                values = session.receptor_state(population._node_name, _RECEPTOR[variable])
                values = values / population._conductance_scale(columns)
            self._signals[variable].append(np.asarray(values, dtype=float))

    # -- what PyNN's Recorder asks --------------------------------------------
    def _get_spiketimes(self, ids, clear=False):
        if self._spikes:
            id_array = np.concatenate([s[0] for s in self._spikes])
            times = np.concatenate([s[1] for s in self._spikes])
        else:
            id_array, times = np.zeros(0, dtype=int), np.zeros(0)
        mask = np.isin(id_array, np.asarray(list(ids), dtype=int))
        start = float(self._recording_start_time.magnitude)
        mask &= times >= start - 1e-9
        if clear:
            self._spikes = []
        return id_array[mask], times[mask]

    def _get_all_signals(self, variable, ids, clear=False):
        columns = self._columns.get(variable)
        if columns is None or not self._signals.get(variable):
            return np.zeros((0, len(ids))), None
        values = np.concatenate(self._signals[variable], axis=0)
        wanted = self.population.id_to_index(np.asarray(list(ids), dtype=int))
        values = values[:, np.searchsorted(columns, wanted)]
        every = int(round(self.sampling_interval / self._simulator.state.dt))
        if every > 1:
            values = values[::every]
        if clear:
            self._signals[variable] = [np.concatenate(self._signals[variable])[-1:]]
        return values, None

    def _local_count(self, variable, filter_ids=None):
        ids = self.filter_recorded(variable, filter_ids)
        id_array, _ = self._get_spiketimes(ids)
        found, counts = np.unique(id_array, return_counts=True)
        result = {int(i): 0 for i in ids}
        result.update({int(i): int(c) for i, c in zip(found, counts)})
        return result

    def _clear_simulator(self):
        self._spikes = []
        for variable, chunks in self._signals.items():
            if chunks:
                self._signals[variable] = [np.concatenate(chunks)[-1:]]

    def _reset(self):
        self._columns = {}
