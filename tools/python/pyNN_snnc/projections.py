"""Projections of the snnc PyNN backend.

A projection holds either an explicit synapse list (NumPy arrays, filled by
PyNN's connectors through `_convergent_connect`, one call per target
neuron) or, for a large all-to-all, fixed-probability or fixed-number
projection between whole populations, one of snnc's procedural rules, which
the compiler expands (no Python loop at all). docs/pynn.md says when.
"""

import numpy as np
from pyNN import common
from pyNN.space import Space

import snnc

from . import simulator
from . import standardmodels as models
from .procedural import procedural_rule, scaled_distribution

_RECEPTOR = {"excitatory": "exc", "inhibitory": "inh"}


class Connection(common.Connection):
    """One synapse of an explicit projection, a view on its arrays."""

    def __init__(self, projection, index):
        self.projection = projection
        self.index = index
        self.presynaptic_index = int(projection._pre_idx[index])
        self.postsynaptic_index = int(projection._post_idx[index])

    def _get_weight(self):
        return float(self.projection._weight[self.index])

    def _set_weight(self, value):
        simulator.state.mark_changed(f"the weights of projection '{self.projection.label}'")
        self.projection._weight[self.index] = value

    def _get_delay(self):
        return float(self.projection._delay[self.index])

    def _set_delay(self, value):
        simulator.state.mark_changed(f"the delays of projection '{self.projection.label}'")
        self.projection._delay[self.index] = value

    weight = property(_get_weight, _set_weight)
    delay = property(_get_delay, _set_delay)

    def as_tuple(self, *names):
        return tuple(getattr(self, name) for name in names)


def _members(neurons):
    """(populations, population index, index in that population) of each
    neuron of a Population, PopulationView or Assembly, in PyNN's order."""
    if isinstance(neurons, common.Assembly):
        parts = [_members(p) for p in neurons.populations]
        pops = []
        which, local = [], []
        for part_pops, part_which, part_local in parts:
            which.append(part_which + len(pops))
            local.append(part_local)
            pops.extend(part_pops)
        return pops, np.concatenate(which), np.concatenate(local)
    if isinstance(neurons, common.PopulationView):
        return ([neurons.grandparent], np.zeros(neurons.size, dtype=int),
                np.asarray(neurons.index_in_grandparent(np.arange(neurons.size)), dtype=int))
    return [neurons], np.zeros(neurons.size, dtype=int), np.arange(neurons.size)


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = models.StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector,
                 synapse_type=None, source=None, receptor_type=None, space=Space(),
                 label=None):
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population,
                                   connector, synapse_type, source, receptor_type,
                                   space, label)
        if not isinstance(self.synapse_type, models.StaticSynapse):
            raise NotImplementedError(
                f"snnc has only static synapses (StaticSynapse), not "
                f"{type(self.synapse_type).__name__}")
        if self.receptor_type not in _RECEPTOR:
            raise NotImplementedError(
                f"snnc has receptor types 'excitatory' and 'inhibitory', not "
                f"'{self.receptor_type}'")
        simulator.state.mark_changed(f"the network (new projection '{self.label}')")
        self._chunks = []
        self._pre_idx = np.zeros(0, dtype=np.int64)
        self._post_idx = np.zeros(0, dtype=np.int64)
        self._weight = np.zeros(0)
        self._delay = np.zeros(0)
        self._connector = connector
        self._rule = procedural_rule(self, connector)
        if self._rule is None:
            connector.connect(self)
            self._gather()
        simulator.state.projections.append(self)

    # -- explicit synapses --------------------------------------------------
    def _convergent_connect(self, presynaptic_indices, postsynaptic_index,
                            **connection_parameters):
        pre = np.asarray(presynaptic_indices, dtype=np.int64).ravel()
        n = pre.size
        weight = np.broadcast_to(np.asarray(connection_parameters["weight"], float), (n,))
        delay = np.broadcast_to(np.asarray(connection_parameters["delay"], float), (n,))
        self._chunks.append((pre, np.full(n, postsynaptic_index, dtype=np.int64),
                             weight.copy(), delay.copy()))

    def _gather(self):
        if self._chunks:
            parts = list(zip(*self._chunks))
            self._pre_idx = np.concatenate([self._pre_idx, *parts[0]])
            self._post_idx = np.concatenate([self._post_idx, *parts[1]])
            self._weight = np.concatenate([self._weight, *parts[2]])
            self._delay = np.concatenate([self._delay, *parts[3]])
            self._chunks = []

    def _explicit(self, what):
        if self._rule is not None:
            raise NotImplementedError(
                f"projection '{self.label}' is generated by snnc's compiler from the rule "
                f"{self._rule[0]!r}, so Python does not hold its synapses and cannot {what}; "
                "give setup() a larger procedural_threshold to keep such projections explicit")
        self._gather()

    def __len__(self):
        if self._rule is not None and self._rule[2] is not None:
            return self._rule[2]
        self._explicit("count them")
        return self._pre_idx.size

    @property
    def connections(self):
        self._explicit("list them")
        return (Connection(self, i) for i in range(self._pre_idx.size))

    def _get_attributes_as_list(self, names):
        self._explicit("return them")
        columns = []
        for name in names:
            columns.append({"presynaptic_index": self._pre_idx,
                            "postsynaptic_index": self._post_idx,
                            "weight": self._weight, "delay": self._delay}[name])
        return [tuple(row) for row in np.column_stack(columns).tolist()] if columns else []

    def _get_attributes_as_arrays(self, names, multiple_synapses="sum"):
        self._explicit("return them")
        result = []
        for name in names:
            name = name[:-1] if name.endswith("s") else name
            values = getattr(self, "_" + name)
            shape = (self.pre.size, self.post.size)
            flat = np.ravel_multi_index((self._pre_idx, self._post_idx), shape)
            count = np.bincount(flat, minlength=shape[0] * shape[1])
            if multiple_synapses == "sum" or count.max(initial=0) <= 1:
                total = np.bincount(flat, weights=values, minlength=count.size)
            else:
                combine = common.Projection.MULTI_SYNAPSE_OPERATIONS[multiple_synapses]
                total = np.full(count.size, np.nan)
                for k, v in zip(flat, values):
                    total[k] = v if np.isnan(total[k]) else combine(total[k], v)
            array = np.where(count > 0, total, np.nan).reshape(shape)
            result.append(array)
        return result

    def _set_attributes(self, parameter_space):
        self._explicit("set them")
        simulator.state.mark_changed(f"the synapses of projection '{self.label}'")
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            if name not in ("weight", "delay"):
                raise NotImplementedError(f"snnc synapses have no attribute {name}")
            target = getattr(self, "_" + name)
            if np.ndim(value) == 0:
                target[:] = value
            else:
                value = np.asarray(value, float)
                target[:] = value[self._pre_idx, self._post_idx]

    def _smallest_delay(self):
        if self._rule is not None:
            d = self._rule[1]["delay"]
            return getattr(d, "value", getattr(d, "low", None))
        self._gather()
        return float(self._delay.min()) if self._delay.size else None

    # -- writing into the snnc network ----------------------------------------
    def _build(self, net):
        receptor = _RECEPTOR[self.receptor_type]
        if self._rule is not None and self._weight_scale(self.post) is None:
            # conductances scale with each target's r: expand the rule here
            self._rule = None
            self._connector.connect(self)
        if self._rule is not None:
            rule, options, _ = self._rule
            pre, post = self.pre, self.post
            weight = scaled_distribution(options["weight"], self._weight_scale(post))
            delay = self._delay_for(pre, options["delay"])
            net.connect(pre._node, post._node, rule, weight=weight, delay=delay,
                        receptor=receptor, seed=options["seed"],
                        autapses=options["autapses"], multapses=options["multapses"])
            return
        self._gather()
        pre_pops, pre_which, pre_local = _members(self.pre)
        post_pops, post_which, post_local = _members(self.post)
        pw, pl = pre_which[self._pre_idx], pre_local[self._pre_idx]
        qw, ql = post_which[self._post_idx], post_local[self._post_idx]
        for a, pre_pop in enumerate(pre_pops):
            for b, post_pop in enumerate(post_pops):
                sel = (pw == a) & (qw == b)
                if not np.any(sel):
                    continue
                post_index = ql[sel]
                weight = self._weight[sel] * self._weight_scale(post_pop, post_index)
                delay = self._delay_for(pre_pop, self._delay[sel])
                net.sparse(pre_pop._node, post_pop._node, pl[sel], post_index, weight,
                           delay=delay, receptor=receptor)

    @staticmethod
    def _weight_scale(post, index=None):
        """Conductances (µS) relative to the leak: times r = tau_m / cm."""
        if not isinstance(post.celltype, models.IF_cond_exp):
            return 1.0
        p = post._parameters
        r = np.asarray(p["tau_m"], float) / np.asarray(p["cm"], float)
        if index is None:
            if np.ndim(r) and np.any(r != r.flat[0]):
                return None
            return float(np.ravel(r)[0])
        return np.broadcast_to(r, (post.size,))[index]

    @staticmethod
    def _delay_for(pre, delay_ms):
        """snnc delays in s. An input's row k is a spike at k dt and reaches
        its targets one step later than a neuron's spike of step k (reported
        at (k + 1) dt), so input projections are one step shorter."""
        shift = simulator.state.dt if pre._is_input() else 0.0
        if isinstance(delay_ms, snnc.Distribution):
            return scaled_distribution(delay_ms, 1e-3, -shift * 1e-3)
        return np.maximum(np.asarray(delay_ms, float) - shift, 0.0) * 1e-3
