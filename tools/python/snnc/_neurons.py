"""The neuron kinds of the snn dialect: their parameters and checks.

Parameters carry NIR's names and units (seconds, and the units of v for
voltages), as the ops in docs/dialects/snn.md do. Every parameter is a
scalar (the same for every neuron) or an array of the population's shape.
"""

import math
import numbers

import numpy as np

from . import _mlir
from .connectivity import Distribution

# kind -> [(parameter, default or REQUIRED, check)]; checks: "pos" (> 0),
# "nonneg" (>= 0), None (any finite value).
REQUIRED = object()
KINDS = {
    "lif": [("tau", REQUIRED, "pos"), ("r", 1.0, None), ("v_leak", 0.0, None),
            ("v_threshold", REQUIRED, None), ("v_reset", 0.0, None)],
    "cuba_lif": [("tau_syn", REQUIRED, "pos"), ("tau_mem", REQUIRED, "pos"),
                 ("r", 1.0, None), ("v_leak", 0.0, None),
                 ("v_threshold", REQUIRED, None), ("v_reset", 0.0, None),
                 ("w_in", 1.0, None)],
    "if": [("r", 1.0, None), ("v_threshold", REQUIRED, None),
           ("v_reset", 0.0, None)],
    "li": [("tau", REQUIRED, "pos"), ("r", 1.0, None), ("v_leak", 0.0, None)],
    "cuba_li": [("tau_syn", REQUIRED, "pos"), ("tau_mem", REQUIRED, "pos"),
                ("r", 1.0, None), ("v_leak", 0.0, None), ("w_in", 1.0, None)],
    "integrator": [("r", 1.0, None)],
    "receptor_lif": [("tau_mem", REQUIRED, "pos"), ("v_rest", REQUIRED, None),
                     ("v_reset", REQUIRED, None),
                     ("v_threshold", REQUIRED, None), ("r", 1.0, None)],
    "poisson_source": [("rate", REQUIRED, "nonneg")],
}
SPIKING = {"lif", "cuba_lif", "if", "receptor_lif", "poisson_source"}


def parameter(owner, name, value, shape, check=None):
    """`value` as float32 of the population's shape (or a scalar), checked."""
    if isinstance(value, bool):
        raise TypeError(f"{owner}: parameter '{name}' must be a number or an "
                        f"array, got {value!r}")
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{owner}: parameter '{name}' must be a number or an "
                        f"array, got {type(value).__name__}") from None
    if a.ndim != 0 and a.shape != tuple(shape):
        raise ValueError(f"{owner}: parameter '{name}' has shape {a.shape}; "
                         f"give a scalar or an array of the population's "
                         f"shape {tuple(shape)}")
    if not np.all(np.isfinite(a)) or np.any(np.abs(a) > np.finfo(np.float32).max):
        raise ValueError(f"{owner}: parameter '{name}' has values that are not "
                         f"finite float32 numbers")
    if check == "pos" and np.any(a <= 0):
        raise ValueError(f"{owner}: parameter '{name}' must be > 0 (seconds), "
                         f"got {a.min()}")
    if check == "nonneg" and np.any(a < 0):
        raise ValueError(f"{owner}: parameter '{name}' must be >= 0, got "
                         f"{a.min()}")
    return a


def parameters(owner, kind, shape, given):
    """All parameters of `kind`, defaults filled in, unknown names refused."""
    spec = KINDS[kind]
    known = {p for p, _, _ in spec}
    unknown = sorted(set(given) - known)
    if unknown:
        raise TypeError(f"{owner}: {kind} has no parameter "
                        f"{', '.join(repr(u) for u in unknown)}; its "
                        f"parameters are {', '.join(p for p, _, _ in spec)}")
    out = {}
    for name, default, check in spec:
        value = given.get(name, default)
        if value is REQUIRED:
            raise TypeError(f"{owner}: {kind} needs parameter '{name}'")
        out[name] = parameter(owner, name, value, shape, check)
    return out


class Receptor:
    """One input channel of a receptor_lif population.

    ``type``: ``"current"`` (needs ``tau``, seconds), ``"alpha"`` (a current
    whose response to an event peaks ``tau`` after it, PyNN's
    ``IF_curr_alpha``; needs ``tau``), ``"conductance"``
    (``tau`` and the reversal potential ``e_rev``; weights are conductances
    relative to the leak), ``"delta"`` (neither: an event moves v by its
    weight) or ``"injection"`` (neither: what arrives in a step is a current
    held over that step, as PyNN's current sources inject). ``tau`` and
    ``e_rev`` are scalars or per-neuron arrays.
    """

    TYPES = ("current", "alpha", "conductance", "delta", "injection")
    UNTIMED = ("delta", "injection")

    def __init__(self, name, type="current", tau=None, e_rev=None):
        if not isinstance(name, str) or not name:
            raise ValueError(f"Receptor: name must be a non-empty string, got "
                             f"{name!r}")
        if type not in self.TYPES:
            raise ValueError(f"receptor '{name}': type must be one of "
                             f"{', '.join(self.TYPES)}, got {type!r}")
        if type in self.UNTIMED and (tau is not None or e_rev is not None):
            raise ValueError(f"receptor '{name}': the {type} receptor takes no "
                             f"tau or e_rev")
        if type not in self.UNTIMED and tau is None:
            raise ValueError(f"receptor '{name}': a {type} receptor needs tau "
                             f"(seconds)")
        if type == "conductance" and e_rev is None:
            raise ValueError(f"receptor '{name}': a conductance receptor needs "
                             f"e_rev (its reversal potential)")
        if type != "conductance" and e_rev is not None:
            raise ValueError(f"receptor '{name}': e_rev applies to conductance "
                             f"receptors only")
        self.name, self.type, self.tau, self.e_rev = name, type, tau, e_rev

    def attr(self, owner, shape):
        owner = f"{owner}, receptor '{self.name}'"
        parts = [f'name = "{self.name}"', f'type = "{self.type}"']
        for key in ("tau", "e_rev"):
            value = getattr(self, key)
            if value is None:
                continue
            a = parameter(owner, key, value, shape, "pos" if key == "tau" else None)
            parts.append(f"{key} = " + (_mlir.f64(a) if a.ndim == 0
                                        else _mlir.values(a, shape)))
        return "{" + ", ".join(parts) + "}"

    def __repr__(self):
        return f"Receptor({self.name!r}, {self.type!r}, tau={self.tau!r}, " \
            f"e_rev={self.e_rev!r})"


def as_receptors(owner, receptors):
    out = []
    for r in receptors:
        if isinstance(r, dict):
            r = Receptor(**r)
        if not isinstance(r, Receptor):
            raise TypeError(f"{owner}: receptors must be Receptor objects or "
                            f"dicts, got {r!r}")
        out.append(r)
    if not out:
        raise ValueError(f"{owner}: receptor_lif needs at least one receptor")
    names = [r.name for r in out]
    if len(set(names)) != len(names):
        raise ValueError(f"{owner}: receptor names repeat: {names}")
    if len(out) > 8:
        raise ValueError(f"{owner}: at most 8 receptors, got {len(out)}")
    return out


def initial_membrane(owner, v_init, v_init_seed, shape):
    """The v_init or v_init_dist attribute text (or None)."""
    if v_init is None:
        return None
    if isinstance(v_init, Distribution):
        seed = int(v_init_seed)
        return f"v_init_dist = {v_init.attr(f'seed = {seed} : i64')}"
    return f"v_init = {_mlir.values(parameter(owner, 'v_init', v_init, shape), shape)}"


def seed_value(owner, seed):
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{owner}: seed must be an integer, got {seed!r}")
    if not -(2**63) <= seed < 2**63:
        raise ValueError(f"{owner}: seed must fit in 64 bits, got {seed}")
    return int(seed)


def refractory_value(owner, refractory):
    value = float(refractory)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{owner}: refractory must be >= 0 seconds, got "
                         f"{refractory!r}")
    return value
