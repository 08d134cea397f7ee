"""Connection rules and value distributions for procedural projections.

They map one to one onto the ``snn.connect`` op (docs/dialects/snn.md,
docs/procedural.md): the compiler or the runtime expands the rule into
synapses with snnc's counter-based generator, so a network of 10^8
synapses is described by a few numbers and the same seed gives the same
synapses on every machine and thread count. Nothing here draws a number.
"""

import math
import numbers

from ._mlir import f64


def _real(owner, what, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {what} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{owner}: {what} must be finite, got {value}")
    return value


def _count(owner, what, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {what} must be an integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{owner}: {what} must be >= 0, got {value}")
    return int(value)


# --- Distributions -------------------------------------------------------


class Distribution:
    """A distribution of synaptic weights, delays or initial membranes."""

    dist = ""

    def _fields(self):
        return []

    def attr(self, extra=""):
        """The MLIR dictionary attribute (``{dist = ..., ...}``)."""
        parts = [f'dist = "{self.dist}"']
        parts += [f"{k} = {f64(v)}" for k, v in self._fields()]
        if extra:
            parts.append(extra)
        return "{" + ", ".join(parts) + "}"

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._fields())
        return f"{type(self).__name__}({args})"


class Constant(Distribution):
    """Every value the same."""

    dist = "constant"

    def __init__(self, value):
        self.value = _real("Constant", "value", value)

    def _fields(self):
        return [("value", self.value)]


class Normal(Distribution):
    """Normal(mean, std); with ``low``/``high``, values outside [low, high]
    are drawn again (a truncated normal, as NEST's and PyNN's)."""

    dist = "normal"

    def __init__(self, mean, std, low=None, high=None):
        self.mean = _real("Normal", "mean", mean)
        self.std = _real("Normal", "std", std)
        if self.std < 0:
            raise ValueError(f"Normal: std must be >= 0, got {self.std}")
        self.low = None if low is None else _real("Normal", "low", low)
        self.high = None if high is None else _real("Normal", "high", high)
        if self.low is not None and self.high is not None and self.low >= self.high:
            raise ValueError(
                f"Normal: low ({self.low}) must be below high ({self.high})")

    def _fields(self):
        f = [("mean", self.mean), ("std", self.std)]
        if self.low is not None:
            f.append(("low", self.low))
        if self.high is not None:
            f.append(("high", self.high))
        return f


class LogNormal(Distribution):
    """exp(Normal(mu, sigma))."""

    dist = "lognormal"

    def __init__(self, mu, sigma):
        self.mu = _real("LogNormal", "mu", mu)
        self.sigma = _real("LogNormal", "sigma", sigma)
        if self.sigma < 0:
            raise ValueError(f"LogNormal: sigma must be >= 0, got {self.sigma}")

    def _fields(self):
        return [("mu", self.mu), ("sigma", self.sigma)]


class Uniform(Distribution):
    """Uniform on [low, high)."""

    dist = "uniform"

    def __init__(self, low, high):
        self.low = _real("Uniform", "low", low)
        self.high = _real("Uniform", "high", high)
        if self.low > self.high:
            raise ValueError(
                f"Uniform: low ({self.low}) must not exceed high ({self.high})")

    def _fields(self):
        return [("low", self.low), ("high", self.high)]


def as_distribution(owner, what, value):
    """A Distribution, or a Constant for a plain number."""
    if isinstance(value, Distribution):
        return value
    return Constant(_real(owner, what, value))


# --- Rules ---------------------------------------------------------------


class Rule:
    """Which (source, target) pairs get a synapse."""

    rule = ""

    def attrs(self):
        return [f'rule = "{self.rule}"']

    def check(self, owner, n_pre, n_post, same):
        """Raises ValueError when the rule cannot hold between populations
        of these sizes (the runtime would refuse it later, less clearly)."""

    def __repr__(self):
        return f"{type(self).__name__}()"


class AllToAll(Rule):
    """Every source to every target (PyNN AllToAllConnector)."""

    rule = "all_to_all"


class OneToOne(Rule):
    """Source i to target i; the sizes must be equal."""

    rule = "one_to_one"

    def check(self, owner, n_pre, n_post, same):
        if n_pre != n_post:
            raise ValueError(
                f"{owner}: one_to_one needs source and target of one size, "
                f"got {n_pre} and {n_post} neurons")


class _OneParameter(Rule):
    """A rule with one parameter, ``key``: p (a probability) or n (a count)."""

    key = ""

    def attrs(self):
        value = getattr(self, self.key)
        text = f64(value) if self.key == "p" else f"{value} : i64"
        return super().attrs() + [f"{self.key} = {text}"]

    def __repr__(self):
        return f"{type(self).__name__}({getattr(self, self.key)!r})"


class FixedProbability(_OneParameter):
    """Each pair independently with probability p."""

    rule, key = "fixed_probability", "p"

    def __init__(self, p):
        self.p = _real("FixedProbability", "p", p)
        if not 0.0 <= self.p <= 1.0:
            raise ValueError(f"FixedProbability: p must lie in [0, 1], got {self.p}")


class _Counted(_OneParameter):
    key = "n"

    def __init__(self, n):
        self.n = _count(type(self).__name__, "n", n)


class FixedInDegree(_Counted):
    """n sources drawn for every target (PyNN FixedNumberPreConnector)."""

    rule = "fixed_in_degree"


class FixedOutDegree(_Counted):
    """n targets drawn for every source (PyNN FixedNumberPostConnector)."""

    rule = "fixed_out_degree"


class FixedTotalNumber(_Counted):
    """n synapses in all, pairs drawn uniformly."""

    rule = "fixed_total_number"


_RULES = {
    "all_to_all": AllToAll,
    "one_to_one": OneToOne,
    "fixed_probability": FixedProbability,
    "fixed_in_degree": FixedInDegree,
    "fixed_out_degree": FixedOutDegree,
    "fixed_total_number": FixedTotalNumber,
}


def as_rule(owner, rule, p=None, n=None):
    """A Rule from a Rule object or a rule name plus its p or n."""
    if isinstance(rule, Rule):
        if p is not None or n is not None:
            raise ValueError(f"{owner}: give p and n inside the rule object, "
                             f"not next to {rule!r}")
        return rule
    if rule not in _RULES:
        raise ValueError(f"{owner}: unknown rule {rule!r}; expected one of "
                         + ", ".join(sorted(_RULES)))
    cls = _RULES[rule]
    if cls is FixedProbability:
        if p is None:
            raise ValueError(f"{owner}: rule 'fixed_probability' needs p=")
        return cls(p)
    if issubclass(cls, _Counted):
        if n is None:
            raise ValueError(f"{owner}: rule {rule!r} needs n=")
        return cls(n)
    if p is not None or n is not None:
        raise ValueError(f"{owner}: rule {rule!r} takes neither p nor n")
    return cls()


__all__ = [
    "Distribution", "Constant", "Normal", "LogNormal", "Uniform",
    "Rule", "AllToAll", "OneToOne", "FixedProbability", "FixedInDegree",
    "FixedOutDegree", "FixedTotalNumber",
]
