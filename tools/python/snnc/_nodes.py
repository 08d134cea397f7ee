"""The nodes a builder Network holds, and the attributes each prints.

Nodes keep their values (NumPy arrays, rule and distribution objects), not
text: the IR is written when the network is printed, so values can still
change between compiles (Population.set, as PyNN's ``set`` and
``initialize`` need) and nothing is held twice.
"""

import re

import numpy as np

from . import _mlir, _neurons


class Node:
    """A node of the network: a population, an input port or a projection."""

    def __init__(self, network, name, op, shape):
        self.network, self.name, self.op = network, name, op
        self.shape = tuple(int(d) for d in shape)
        self.inputs = []  # nodes whose outputs this node sums
        self.in_shape = None  # projections: the source's shape

    @property
    def size(self):
        return int(np.prod(self.shape))

    def attributes(self, resources):
        """The op's attributes as text (`resources` takes long arrays)."""
        return []

    def __repr__(self):
        return f"<snnc {self.op} '{self.name}' {self.shape}>"


class Population(Node):
    """Neurons of one kind (or an input port): a source or target of
    projections. ``parameters`` holds the kind's parameters (arrays of the
    population's shape, or scalars); change them with :meth:`set`."""

    def __init__(self, network, name, op, shape):
        super().__init__(network, name, op, shape)
        self.owner = f"{op} population '{name}'"
        self.parameters = {}
        self.receptors = []       # receptor_lif
        self.refractory = 0.0     # receptor_lif, seconds
        self.v_init = None        # receptor_lif: array or Distribution
        self.v_init_seed = 0
        self.seed = 0             # poisson_source

    @property
    def kind(self):
        return self.op

    @property
    def spiking(self):
        return self.op in _neurons.SPIKING

    def set(self, **values):
        """Changes parameters (checked as when the population was made; all
        or none). receptor_lif also takes ``refractory``, ``v_init`` and
        ``v_init_seed``; poisson_source ``seed``."""
        if self.op == "input":
            raise TypeError(f"input '{self.name}' has no parameters")
        params = dict(self.parameters)
        extra = {}
        for key, value in values.items():
            if key in params:
                params[key] = value
            elif self.op == "receptor_lif" and key in ("refractory", "v_init",
                                                       "v_init_seed"):
                extra[key] = value
            elif self.op == "poisson_source" and key == "seed":
                extra[key] = value
            else:
                raise TypeError(f"{self.owner}: no parameter {key!r}; its "
                                f"parameters are {', '.join(params)}")
        checked = _neurons.parameters(self.owner, self.op, self.shape, params)
        if "refractory" in extra:
            extra["refractory"] = _neurons.refractory_value(self.owner,
                                                            extra["refractory"])
        for key in ("v_init_seed", "seed"):
            if key in extra:
                extra[key] = _neurons.seed_value(self.owner, extra[key])
        if extra.get("v_init") is not None:
            _neurons.initial_membrane(self.owner, extra["v_init"], 0, self.shape)
        self.parameters = checked
        for key, value in extra.items():
            setattr(self, key, value)

    def attributes(self, resources):
        attrs = [f"{k} = {_mlir.values(v, self.shape)}"
                 for k, v in self.parameters.items()]
        if self.op == "receptor_lif":
            init = _neurons.initial_membrane(self.owner, self.v_init,
                                             self.v_init_seed, self.shape)
            if init:
                attrs.append(init)
            attrs.append(f"refractory = {_mlir.f64(self.refractory)}")
            attrs.append("receptors = [" + ", ".join(
                r.attr(self.owner, self.shape) for r in self.receptors) + "]")
        if self.op == "poisson_source":
            attrs.append(f"seed = {self.seed} : i64")
        return attrs


class Projection(Node):
    """Synapses from one population to another (``pre`` -> ``post``)."""

    def __init__(self, network, name, op, pre, post, receptor=None):
        super().__init__(network, name, op, post.shape)
        self.pre, self.post, self.receptor = pre, post, receptor
        self.in_shape = pre.shape
        self.inputs = [pre]

    def attributes(self, resources):
        attrs = self._attributes(resources)
        if self.receptor is not None:
            attrs.append(f'receptor = "{self.receptor}"')
        return attrs


class DenseProjection(Projection):
    """weight[post, pre] (snn.linear), plus a bias (snn.affine)."""

    def __init__(self, network, name, pre, post, weight, bias):
        super().__init__(network, name, "linear" if bias is None else "affine",
                         pre, post)
        self.weight, self.bias = weight, bias

    def _attributes(self, resources):
        attrs = [f"weight = {_mlir.hex_dense(self.weight)}"]
        if self.bias is not None:
            attrs.append(f"bias = {_mlir.hex_dense(self.bias)}")
        return attrs


class SparseProjection(Projection):
    """An explicit synapse list (snn.sparse) over flat indices."""

    def __init__(self, network, name, pre, post, receptor, pre_indices,
                 post_indices, weight, delay):
        super().__init__(network, name, "sparse", pre, post, receptor)
        self.pre_indices, self.post_indices = pre_indices, post_indices
        self.weight, self.delay = weight, delay

    @property
    def synapses(self):
        return int(self.pre_indices.size)

    def _attributes(self, resources):
        key = re.sub(r"[^A-Za-z0-9_]", "_", self.name)
        attrs = []
        for what, array, dtype in (("pre", self.pre_indices, "<i4"),
                                   ("post", self.post_indices, "<i4"),
                                   ("weight", self.weight, "<f4"),
                                   ("delay", self.delay, "<f4")):
            if array is not None:
                text = resources.elements(f"{key}_{what}", array, dtype)
                attrs.append(f"{what} = {text}")
        return attrs


class ConnectProjection(Projection):
    """Procedural synapses (snn.connect): a rule, distributions, a seed."""

    def __init__(self, network, name, pre, post, receptor, rule, weight, delay,
                 seed, autapses, multapses):
        super().__init__(network, name, "connect", pre, post, receptor)
        self.rule, self.weight, self.delay = rule, weight, delay
        self.seed, self.autapses, self.multapses = seed, autapses, multapses

    def _attributes(self, resources):
        attrs = self.rule.attrs()
        attrs.append(f"autapses = {str(self.autapses).lower()}")
        attrs.append(f"multapses = {str(self.multapses).lower()}")
        attrs.append(f"weight = {self.weight.attr()}")
        if self.delay is not None:
            attrs.append(f"delay = {self.delay.attr()}")
        attrs.append(f"seed = {self.seed} : i64")
        return attrs
