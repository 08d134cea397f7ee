"""PyNN connectors and random distributions as snnc's procedural rules.

A rule is used for AllToAllConnector, OneToOneConnector,
FixedProbabilityConnector, FixedNumberPre/PostConnector and
FixedTotalNumberConnector between two whole populations whose size product
reaches setup()'s `procedural_threshold`, when weight and delay are numbers
or pyNN.random distributions that snnc has (normal, normal_clipped,
uniform, lognormal). Anything else is expanded by PyNN's connector into an
explicit list.
"""

import math

import numpy as np
from pyNN import common, connectors
from pyNN.random import RandomDistribution

import snnc

from . import simulator


def as_distribution(value):
    """A number or pyNN.random distribution as an snnc distribution, or None."""
    if isinstance(value, RandomDistribution):
        p = value.parameters
        if value.name == "normal":
            return snnc.Normal(p["mu"], p["sigma"])
        if value.name == "normal_clipped":
            low, high = p.get("low", -np.inf), p.get("high", np.inf)
            return snnc.Normal(p["mu"], p["sigma"],
                               low=None if np.isinf(low) else low,
                               high=None if np.isinf(high) else high)
        if value.name == "uniform":
            return snnc.Uniform(p["low"], p["high"])
        if value.name == "lognormal":
            return snnc.LogNormal(p["mu"], p["sigma"])
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return snnc.Constant(float(value))
    return None


def scaled_distribution(dist, scale, shift=0.0):
    """scale * X + shift for an snnc distribution (scale > 0)."""
    if isinstance(dist, snnc.Constant):
        return snnc.Constant(dist.value * scale + shift)
    if isinstance(dist, snnc.Normal):
        low = None if dist.low is None else dist.low * scale + shift
        high = None if dist.high is None else dist.high * scale + shift
        return snnc.Normal(dist.mean * scale + shift, dist.std * scale, low=low, high=high)
    if isinstance(dist, snnc.Uniform):
        return snnc.Uniform(dist.low * scale + shift, dist.high * scale + shift)
    if isinstance(dist, snnc.LogNormal) and shift == 0.0:
        return snnc.LogNormal(dist.mu + math.log(scale), dist.sigma)
    raise ValueError(f"snnc cannot shift a {type(dist).__name__} distribution by {shift}")


def _seed(connector):
    """The rule's seed: drawn from the connector's seeded RNG, which it
    advances as PyNN's own connector code would, so two projections made
    with one RNG (or one connector) get independent synapses, and the
    script's seed still fixes them all."""
    rng = getattr(connector, "rng", None)
    seed = getattr(rng, "seed", None)
    if isinstance(seed, (int, np.integer)) and hasattr(rng, "next"):
        return int(rng.next(1, "uniform_int", {"low": 0, "high": 1 << 31})[0])
    return simulator.state.next_seed()


def procedural_rule(projection, connector):
    """(rule, options, synapse count or None) for `connector`, or None to
    expand it explicitly."""
    pre, post = projection.pre, projection.post
    for side in (pre, post):
        if not isinstance(side, common.Population) or isinstance(side, common.PopulationView):
            return None
    if pre.size * post.size < simulator.state.procedural_threshold:
        return None
    if getattr(connector, "callback", None) is not None:
        return None
    params = projection.synapse_type.parameter_space
    weight = as_distribution(params["weight"].base_value)
    delay = as_distribution(params["delay"].base_value)
    if weight is None or delay is None:
        return None
    if pre._is_input() and isinstance(delay, snnc.LogNormal):
        return None
    self_ok = getattr(connector, "allow_self_connections", True)
    same = pre is post
    autapses = bool(self_ok) if self_ok != "NoMutual" else False
    options = dict(weight=weight, delay=delay, seed=_seed(connector),
                   autapses=autapses, multapses=False)
    n_self = pre.size if same and not autapses else 0
    if type(connector) is connectors.AllToAllConnector:
        return snnc.AllToAll(), options, pre.size * post.size - n_self
    if type(connector) is connectors.OneToOneConnector:
        return snnc.OneToOne(), options, min(pre.size, post.size)
    if type(connector) is connectors.FixedProbabilityConnector:
        return snnc.FixedProbability(connector.p_connect), options, None
    n = getattr(connector, "n", None)
    if not isinstance(n, (int, np.integer)):
        return None
    options["multapses"] = bool(getattr(connector, "with_replacement", False))
    if type(connector) is connectors.FixedNumberPreConnector:
        return snnc.FixedInDegree(int(n)), options, int(n) * post.size
    if type(connector) is connectors.FixedNumberPostConnector:
        return snnc.FixedOutDegree(int(n)), options, int(n) * pre.size
    if type(connector) is connectors.FixedTotalNumberConnector:
        options["multapses"] = bool(getattr(connector, "with_replacement", True))
        return snnc.FixedTotalNumber(int(n)), options, int(n)
    return None
