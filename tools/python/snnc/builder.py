"""Networks built in Python, compiled without writing MLIR by hand.

A :class:`Network` collects populations (every neuron kind of the ``snn``
dialect, Poisson sources, input ports) and projections between them
(dense or sparse weight arrays, or procedural rules), checks each as it is
added, and prints the ``snn.network`` that ``snnc`` compiles::

    net = snnc.Network("cuba")
    exc = net.receptor_lif("exc", 3200, tau_mem=20e-3, v_rest=-49e-3, ...,
                           receptors=[snnc.Receptor("exc", tau=5e-3)])
    net.connect(exc, exc, snnc.FixedProbability(0.02), weight=1.62e-3,
                receptor="exc", seed=1)
    net.output("exc_spikes", exc)
    program = net.compile()

Objects returned by the add methods are handles (names, shapes); the
network owns the nodes. Nothing here depends on how a network is later run,
so other front ends (a PyNN backend) can build on it.
"""

import numbers
import re

import numpy as np

from . import _neurons
from ._nodes import (ConnectProjection, DenseProjection, Population,
                     Projection, SparseProjection)
from ._neurons import Receptor
from .connectivity import as_distribution, as_rule

__all__ = ["Network", "Population", "Projection", "Receptor"]


def _shape(owner, size):
    shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
    if not shape or any(not isinstance(d, numbers.Integral) or isinstance(d, bool)
                        or d <= 0 for d in shape):
        raise ValueError(f"{owner}: size must be a positive integer or a shape "
                         f"of positive integers, got {size!r}")
    return shape


class Network:
    """An ``snn.network`` under construction. ``name`` becomes its symbol."""

    def __init__(self, name="network"):
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][\w$.]*", name):
            raise ValueError(f"Network: name must be an identifier (letters, "
                             f"digits, _ $ .), got {name!r}")
        self.name = name
        self._nodes = {}
        self._outputs = []  # (name, node)

    # --- nodes --------------------------------------------------------------

    def _new_name(self, kind, name):
        if not isinstance(name, str) or not name:
            raise ValueError(f"{kind}: name must be a non-empty string, got "
                             f"{name!r}")
        if '"' in name or "\\" in name:
            raise ValueError(f"{kind} '{name}': names may not hold quotes or "
                             f"backslashes")
        if name in self._nodes or name in dict(self._outputs):
            raise ValueError(f"{kind} '{name}': the network already has a node "
                             f"of that name; names are unique")
        return name

    def _population(self, kind, name, size):
        owner = f"{kind} population '{name}'"
        self._new_name(owner, name)
        return Population(self, name, kind, _shape(owner, size))

    def _add_population(self, pop):
        self._nodes[pop.name] = pop
        return pop

    def _neurons(self, kind, name, size, params, receptors=None, **extra):
        """A population of `kind`, added once every value has passed."""
        pop = self._population(kind, name, size)
        pop.parameters = _neurons.parameters(pop.owner, kind, pop.shape, params)
        if receptors is not None:
            for r in receptors:  # their per-neuron values, checked now
                r.attr(pop.owner, pop.shape)
            pop.receptors = receptors
        if extra:
            pop.set(**extra)
        return self._add_population(pop)

    def input(self, name, shape):
        """An input port: set_input(name, ...) feeds it when the program runs."""
        return self._add_population(self._population("input", name, shape))

    def lif(self, name, size, *, tau, v_threshold, r=1.0, v_leak=0.0, v_reset=0.0):
        """Leaky integrate-and-fire: tau dv/dt = (v_leak - v) + r I."""
        return self._neurons("lif", name, size, dict(
            tau=tau, v_threshold=v_threshold, r=r, v_leak=v_leak, v_reset=v_reset))

    def cuba_lif(self, name, size, *, tau_mem, tau_syn, v_threshold, r=1.0,
                 v_leak=0.0, v_reset=0.0, w_in=1.0):
        """Current-based LIF: a synaptic current (tau_syn) drives the membrane."""
        return self._neurons("cuba_lif", name, size, dict(
            tau_mem=tau_mem, tau_syn=tau_syn, v_threshold=v_threshold, r=r,
            v_leak=v_leak, v_reset=v_reset, w_in=w_in))

    def if_(self, name, size, *, v_threshold, r=1.0, v_reset=0.0):
        """Integrate-and-fire (the op ``snn.if``): dv/dt = r I."""
        return self._neurons("if", name, size, dict(
            v_threshold=v_threshold, r=r, v_reset=v_reset))

    def li(self, name, size, *, tau, r=1.0, v_leak=0.0):
        """Leaky integrators (no spikes; the output is v)."""
        return self._neurons("li", name, size, dict(tau=tau, r=r, v_leak=v_leak))

    def cuba_li(self, name, size, *, tau_mem, tau_syn, r=1.0, v_leak=0.0, w_in=1.0):
        """Current-based leaky integrators (no spikes)."""
        return self._neurons("cuba_li", name, size, dict(
            tau_mem=tau_mem, tau_syn=tau_syn, r=r, v_leak=v_leak, w_in=w_in))

    def integrator(self, name, size, *, r=1.0):
        """Pure integrators: dv/dt = r I (no spikes)."""
        return self._neurons("integrator", name, size, dict(r=r))

    def receptor_lif(self, name, size, *, tau_mem, v_rest, v_reset, v_threshold,
                     receptors, r=1.0, refractory=0.0, v_init=None,
                     v_init_seed=0):
        """LIF neurons whose inputs arrive through named receptors (current,
        conductance or delta; see :class:`Receptor`), held for `refractory`
        seconds after a spike. ``v_init``: the membrane at step 0, a value,
        an array or a Distribution drawn with ``v_init_seed`` (default:
        v_rest)."""
        owner = f"receptor_lif population '{name}'"
        return self._neurons("receptor_lif", name, size, dict(
            tau_mem=tau_mem, v_rest=v_rest, v_reset=v_reset,
            v_threshold=v_threshold, r=r),
            receptors=_neurons.as_receptors(owner, receptors),
            refractory=refractory, v_init=v_init, v_init_seed=v_init_seed)

    def poisson_source(self, name, size, *, rate, seed=0):
        """Independent Poisson spike trains of `rate` Hz, drawn in the
        engine from `seed`."""
        return self._neurons("poisson_source", name, size, dict(rate=rate),
                             seed=seed)

    def population(self, kind, name, size, **params):
        """Any kind by name: "lif", "cuba_lif", "if", "li", "cuba_li",
        "integrator", "receptor_lif", "poisson_source" or "input"."""
        if kind == "input":
            return self.input(name, size, **params)
        if kind == "receptor_lif":
            return self.receptor_lif(name, size, **params)
        if kind == "poisson_source":
            return self.poisson_source(name, size, **params)
        if kind not in _neurons.KINDS:
            raise ValueError(f"population '{name}': unknown kind {kind!r}; "
                             f"expected input or one of {', '.join(_neurons.KINDS)}")
        return self._neurons(kind, name, size, params)

    def output(self, name, source):
        """Makes `source`'s spikes (or state, for non-spiking kinds) an output
        port of the program."""
        self._new_name("output", name)
        self._own(f"output '{name}'", source)
        self._outputs.append((name, source))

    # --- projections --------------------------------------------------------

    def _own(self, owner, node, cls=Population):
        if not isinstance(node, cls) or node.network is not self:
            raise TypeError(f"{owner}: {node!r} is not a population of network "
                            f"'{self.name}'")

    def _projection(self, pre, post, name, receptor):
        """Checks what every projection must satisfy; (name, owner)."""
        name = name or self._default_name(pre, post)
        for end in (pre, post):
            self._own(f"projection '{name}'", end)
        owner = f"projection '{name}' ({pre.name} -> {post.name})"
        self._new_name(owner, name)
        if post.op in ("input", "poisson_source"):
            raise ValueError(f"{owner}: {post.op} '{post.name}' takes no inputs")
        if post.op == "receptor_lif":
            names = [r.name for r in post.receptors]
            if receptor not in names:
                raise ValueError(f"{owner}: name the receptor of '{post.name}' "
                                 f"the synapses reach: receptor= one of {names}"
                                 + ("" if receptor is None else f", got {receptor!r}"))
        elif receptor is not None:
            raise ValueError(f"{owner}: receptor= applies to receptor_lif "
                             f"targets; '{post.name}' is {post.op}")
        return name, owner

    def _default_name(self, pre, post):
        base = f"{pre.name}_to_{post.name}"
        name, k = base, 1
        while name in self._nodes:
            k += 1
            name = f"{base}_{k}"
        return name

    def _add(self, proj):
        self._nodes[proj.name] = proj
        proj.post.inputs.append(proj)
        return proj

    def identity(self, pre, post):
        """An edge without synapses: `pre`'s output is added to `post`'s input
        as it is (NIR's plain edge); the shapes must be equal."""
        self._own("identity edge", pre)
        self._own("identity edge", post)
        if pre.shape != post.shape:
            raise ValueError(f"identity edge {pre.name} -> {post.name}: shapes "
                             f"{pre.shape} and {post.shape} differ; use a "
                             f"projection")
        if post.op in ("input", "poisson_source", "receptor_lif"):
            raise ValueError(f"identity edge {pre.name} -> {post.name}: "
                             f"{post.op} takes no plain edges")
        post.inputs.append(pre)

    def dense(self, pre, post, weight, *, bias=None, receptor=None, name=None):
        """All-to-all weights, ``weight[post, pre]`` (snn.linear, or
        snn.affine with `bias`). Into a receptor_lif, the non-zero weights
        become an explicit synapse list (snn.sparse) on `receptor`."""
        name, owner = self._projection(pre, post, name, receptor)
        if len(pre.shape) != 1 or len(post.shape) != 1:
            raise ValueError(f"{owner}: dense weights need one-dimensional "
                             f"populations; use sparse() with flat indices")
        w = np.asarray(weight, dtype=np.float32)
        if w.shape != (post.size, pre.size):
            raise ValueError(f"{owner}: weight has shape {w.shape}, expected "
                             f"(post, pre) = ({post.size}, {pre.size})")
        if not np.all(np.isfinite(w)):
            raise ValueError(f"{owner}: weight has non-finite values")
        if post.op == "receptor_lif":
            if bias is not None:
                raise ValueError(f"{owner}: a receptor_lif target takes no bias")
            post_idx, pre_idx = np.nonzero(w)
            return self._sparse(name, owner, pre, post, receptor, pre_idx,
                                post_idx, w[post_idx, pre_idx], None)
        if bias is not None:
            bias = np.broadcast_to(
                _neurons.parameter(owner, "bias", bias, post.shape), post.shape)
        return self._add(DenseProjection(self, name, pre, post, w, bias))

    def sparse(self, pre, post, pre_indices, post_indices, weight, *, delay=None,
               receptor=None, name=None):
        """An explicit synapse list: synapse k joins flat index
        ``pre_indices[k]`` to ``post_indices[k]`` with ``weight[k]`` (or one
        weight for all) and an extra ``delay[k]`` seconds (or one delay)."""
        name, owner = self._projection(pre, post, name, receptor)
        return self._sparse(name, owner, pre, post, receptor, pre_indices,
                            post_indices, weight, delay)

    def _sparse(self, name, owner, pre, post, receptor, pre_indices,
                post_indices, weight, delay):
        pre_i = np.asarray(pre_indices)
        post_i = np.asarray(post_indices)
        for what, idx, n in (("pre_indices", pre_i, pre.size),
                             ("post_indices", post_i, post.size)):
            if idx.ndim != 1 or (idx.size and not np.issubdtype(idx.dtype, np.integer)):
                raise ValueError(f"{owner}: {what} must be a 1-D integer array")
            if idx.size and (idx.min() < 0 or idx.max() >= n):
                bad = int(idx[(idx < 0) | (idx >= n)][0])
                raise ValueError(f"{owner}: {what} holds {bad}, outside "
                                 f"[0, {n}) (flat indices into the population)")
        if pre_i.size != post_i.size:
            raise ValueError(f"{owner}: pre_indices ({pre_i.size}) and "
                             f"post_indices ({post_i.size}) differ in length")
        checked = {}
        for what, value in (("weight", weight), ("delay", delay)):
            if value is None:
                checked[what] = None
                continue
            a = np.asarray(value, dtype=np.float32).reshape(-1)
            if a.size not in (1, pre_i.size):
                raise ValueError(f"{owner}: {what} must hold one value or one "
                                 f"per synapse ({pre_i.size}), got {a.size}")
            if not np.all(np.isfinite(a)) or (what == "delay" and np.any(a < 0)):
                raise ValueError(f"{owner}: {what} must be finite"
                                 + (" and >= 0 seconds" if what == "delay" else ""))
            checked[what] = a
        return self._add(SparseProjection(
            self, name, pre, post, receptor, pre_i.astype(np.int32),
            post_i.astype(np.int32), checked["weight"], checked["delay"]))

    def connect(self, pre, post, rule, *, weight, delay=None, receptor=None,
                seed=0, autapses=True, multapses=True, p=None, n=None, name=None):
        """Procedural synapses (snn.connect): `rule` is a Rule object or a rule
        name ("fixed_probability" with p=, "fixed_in_degree" with n=, ...);
        `weight` and `delay` (seconds) are numbers or Distributions.
        `autapses=False` drops i -> i synapses within one population;
        `multapses=False` makes counted rules draw distinct pairs."""
        name, owner = self._projection(pre, post, name, receptor)
        r = as_rule(owner, rule, p, n)
        same = pre is post
        r.check(owner, pre.size, post.size, same)
        if not multapses and hasattr(r, "n"):
            own = 1 if same and not autapses else 0
            limit = {"fixed_in_degree": pre.size - own,
                     "fixed_out_degree": post.size - own,
                     "fixed_total_number": pre.size * post.size - own * pre.size}[r.rule]
            if r.n > limit:
                raise ValueError(f"{owner}: {r.rule} n={r.n} without multapses "
                                 f"needs at most {limit} distinct pairs")
        w = as_distribution(owner, "weight", weight)
        d = None if delay is None else as_distribution(owner, "delay", delay)
        if d is not None and getattr(d, "value", 0.0) < 0:
            raise ValueError(f"{owner}: delay must be >= 0 seconds")
        return self._add(ConnectProjection(
            self, name, pre, post, receptor, r, w, d,
            _neurons.seed_value(owner, seed), bool(autapses), bool(multapses)))

    # --- output -------------------------------------------------------------

    @property
    def populations(self):
        return [n for n in self._nodes.values() if isinstance(n, Population)]

    @property
    def projections(self):
        return [n for n in self._nodes.values() if isinstance(n, Projection)]

    def to_mlir(self):
        """The network as snn dialect IR text (what ``snnc`` reads)."""
        from ._emit import network_text
        return network_text(self)

    def compile(self, **options):
        """Compiles the network: the options of :func:`snnc.compile`."""
        from ._compile import compile as compile_  # it imports this module
        return compile_(self, **options)

    def __repr__(self):
        return (f"<snnc.Network '{self.name}': {len(self.populations)} "
                f"populations, {len(self.projections)} projections>")
