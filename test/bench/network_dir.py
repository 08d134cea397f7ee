"""The network directory that network-bench writes and brian2_run.py reads.

DIR/network.json names the model, the populations and the projections, and
the .npy arrays beside it hold the per-neuron and per-synapse values
(docs/benchmarks.md):

  {"name", "dt" (s), "duration" (s), "method" ("exact" | "euler"),
   "neuron": {"tau_m" (s), "v_rest", "v_threshold", "v_reset" (V),
              "refractory" (s), "receptors": [{"name", "type": "current" |
              "conductance", "tau" (s), "reversal" (V, conductance only)}]},
   "populations": [{"name", "size", "v_init": FILE (V, float)}],
   "projections": [{"name" (optional), "source", "target", "receptor"
              (a receptor name, or null: delta synapse onto v), "weight"
              (V, or relative conductance), "weights": FILE (optional, one
              per synapse), "delay_steps" (optional) or "delays": FILE
              (optional, int, one per synapse), "pre", "post": FILE (int,
              local indices)}]}

A delay of D steps reaches the target's update D + 1 steps after the spike.
load_network() checks all of it and needs numpy only, so any script may
import it.
"""
import json
import math
import os
import re
from dataclasses import dataclass, field

import numpy as np


class NetworkError(Exception):
    """A malformed network directory; str() is a one-line message."""


@dataclass
class Receptor:
    name: str
    type: str  # "current" or "conductance"
    tau: float
    reversal: float | None


@dataclass
class Population:
    name: str
    size: int
    offset: int  # first global index
    v_init: np.ndarray


@dataclass
class Projection:
    source: Population
    target: Population
    receptor: Receptor | None  # None: delta synapse onto v
    weight: float
    pre: np.ndarray  # local to source
    post: np.ndarray  # local to target
    # One weight per synapse (None: `weight` for all), in the weight's units.
    weights: np.ndarray | None = None
    # Delay in steps (0: the target's next update), one for all or per synapse.
    delay_steps: int = 0
    delays: np.ndarray | None = None


@dataclass
class Network:
    name: str
    dt: float
    duration: float
    tau_m: float
    v_rest: float
    v_threshold: float
    v_reset: float
    refractory: float
    receptors: list[Receptor] = field(default_factory=list)
    populations: list[Population] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(p.size for p in self.populations)


_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")


class _Reader:
    """Typed access to network.json with error messages naming file and key."""

    def __init__(self, directory: str):
        self.directory = directory
        self.json_path = os.path.join(directory, "network.json")

    def fail(self, what: str) -> NetworkError:
        return NetworkError(f"{self.json_path}: {what}")

    def get(self, obj: dict, key: str, where: str, types, optional=False):
        path = f"{where}.{key}" if where else key
        if not isinstance(obj, dict):
            raise self.fail(f"'{where}' is not an object")
        if key not in obj:
            if optional:
                return None
            raise self.fail(f"missing key '{path}'")
        value = obj[key]
        if value is None and optional:
            return None
        # bool is an int in Python; never accept it as a number.
        if isinstance(value, bool) or not isinstance(value, types):
            raise self.fail(f"key '{path}' has the wrong type ({type(value).__name__})")
        return value

    def number(self, obj: dict, key: str, where: str, positive=False,
               non_negative=False, optional=False) -> float | None:
        value = self.get(obj, key, where, (int, float), optional=optional)
        if value is None:
            return None
        path = f"{where}.{key}" if where else key
        if not math.isfinite(value):
            raise self.fail(f"key '{path}' is not finite")
        if positive and value <= 0:
            raise self.fail(f"key '{path}' must be > 0 (got {value})")
        if non_negative and value < 0:
            raise self.fail(f"key '{path}' must be >= 0 (got {value})")
        return float(value)

    def array(self, file_key: str, where: str, kind: str) -> np.ndarray:
        """Loads a 1-D .npy array named by a key; kind 'int' or 'float'."""
        name = file_key
        path = os.path.join(self.directory, name)
        try:
            arr = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            raise NetworkError(f"{path}: no such file (named by '{where}')") from None
        except (OSError, ValueError) as err:
            raise NetworkError(f"{path}: not a readable .npy array ({err})") from None
        if arr.ndim != 1:
            raise NetworkError(f"{path}: expected a 1-D array, got shape {arr.shape}")
        if kind == "int" and arr.dtype.kind not in "iu":
            raise NetworkError(f"{path}: expected an integer array, got {arr.dtype}")
        if kind == "float" and arr.dtype.kind not in "fiu":
            raise NetworkError(f"{path}: expected a float array, got {arr.dtype}")
        return arr


def load_network(directory: str) -> Network:
    """Reads and checks DIR/network.json and the arrays it names.

    Raises NetworkError with a one-line message naming the file and key.
    """
    r = _Reader(directory)
    try:
        with open(r.json_path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise NetworkError(f"{r.json_path}: no such file") from None
    except (OSError, ValueError) as err:
        raise NetworkError(f"{r.json_path}: cannot parse ({err})") from None
    if not isinstance(doc, dict):
        raise r.fail("top level is not an object")

    neuron = r.get(doc, "neuron", "", dict)
    net = Network(
        name=r.get(doc, "name", "", str),
        dt=r.number(doc, "dt", "", positive=True),
        duration=r.number(doc, "duration", "", positive=True),
        tau_m=r.number(neuron, "tau_m", "neuron", positive=True),
        v_rest=r.number(neuron, "v_rest", "neuron"),
        v_threshold=r.number(neuron, "v_threshold", "neuron"),
        v_reset=r.number(neuron, "v_reset", "neuron"),
        refractory=r.number(neuron, "refractory", "neuron", non_negative=True,
                            optional=True) or 0.0,
    )

    receptors: dict[str, Receptor] = {}
    for k, rec in enumerate(r.get(neuron, "receptors", "neuron", list, optional=True) or []):
        where = f"neuron.receptors[{k}]"
        name = r.get(rec, "name", where, str)
        if not _IDENTIFIER.match(name):
            raise r.fail(f"key '{where}.name' must be letters and digits (got {name!r})")
        if name in receptors:
            raise r.fail(f"key '{where}.name' repeats receptor '{name}'")
        kind = r.get(rec, "type", where, str)
        if kind not in ("current", "conductance"):
            raise r.fail(f"key '{where}.type' must be \"current\" or \"conductance\" "
                         f"(got {kind!r})")
        tau = r.number(rec, "tau", where, positive=True)
        reversal = r.number(rec, "reversal", where, optional=kind == "current")
        receptors[name] = Receptor(name, kind, tau, reversal)
    net.receptors = list(receptors.values())

    populations: dict[str, Population] = {}
    offset = 0
    pops = r.get(doc, "populations", "", list)
    if not pops:
        raise r.fail("key 'populations' is empty")
    for k, pop in enumerate(pops):
        where = f"populations[{k}]"
        name = r.get(pop, "name", where, str)
        if name in populations:
            raise r.fail(f"key '{where}.name' repeats population '{name}'")
        size = r.get(pop, "size", where, int)
        if size <= 0:
            raise r.fail(f"key '{where}.size' must be > 0 (got {size})")
        v_file = r.get(pop, "v_init", where, str)
        v_init = r.array(v_file, f"{where}.v_init", "float").astype(np.float64)
        if len(v_init) != size:
            raise NetworkError(f"{os.path.join(directory, v_file)}: {len(v_init)} values "
                               f"for population '{name}' of size {size}")
        if not np.all(np.isfinite(v_init)):
            raise NetworkError(f"{os.path.join(directory, v_file)}: values not finite")
        populations[name] = Population(name, size, offset, v_init)
        offset += size
    net.populations = list(populations.values())

    for k, proj in enumerate(r.get(doc, "projections", "", list)):
        where = f"projections[{k}]"
        ends = []
        for end in ("source", "target"):
            pname = r.get(proj, end, where, str)
            if pname not in populations:
                raise r.fail(f"key '{where}.{end}' names unknown population '{pname}'")
            ends.append(populations[pname])
        source, target = ends
        rname = r.get(proj, "receptor", where, str, optional=True)
        if rname is not None and rname not in receptors:
            raise r.fail(f"key '{where}.receptor' names unknown receptor '{rname}'")
        weight = r.number(proj, "weight", where)
        pre_file = r.get(proj, "pre", where, str)
        post_file = r.get(proj, "post", where, str)
        pre = r.array(pre_file, f"{where}.pre", "int")
        post = r.array(post_file, f"{where}.post", "int")
        if len(pre) != len(post):
            raise NetworkError(f"{os.path.join(directory, pre_file)}: {len(pre)} entries but "
                               f"{post_file} has {len(post)} ('{where}')")
        for arr, fname, pop in ((pre, pre_file, source), (post, post_file, target)):
            if len(arr) and (arr.min() < 0 or arr.max() >= pop.size):
                bad = arr.min() if arr.min() < 0 else arr.max()
                raise NetworkError(f"{os.path.join(directory, fname)}: index {bad} out of "
                                   f"range for population '{pop.name}' of size {pop.size}")
        per_synapse = {}
        for key, kind in (("weights", "float"), ("delays", "int")):
            fname = r.get(proj, key, where, str, optional=True)
            if fname is None:
                continue
            arr = r.array(fname, f"{where}.{key}", kind)
            if len(arr) != len(pre):
                raise NetworkError(f"{os.path.join(directory, fname)}: {len(arr)} values for "
                                   f"{len(pre)} synapses ('{where}')")
            if key == "delays" and len(arr) and arr.min() < 0:
                raise NetworkError(f"{os.path.join(directory, fname)}: negative delay "
                                   f"{arr.min()} ('{where}')")
            per_synapse[key] = arr
        delay_steps = r.get(proj, "delay_steps", where, int, optional=True) or 0
        if delay_steps < 0:
            raise r.fail(f"key '{where}.delay_steps' must be >= 0 (got {delay_steps})")
        weights = per_synapse.get("weights")
        delays = per_synapse.get("delays")
        net.projections.append(Projection(
            source, target, receptors.get(rname) if rname else None, weight,
            pre.astype(np.int32), post.astype(np.int32),
            None if weights is None else weights.astype(np.float64), delay_steps,
            None if delays is None else delays.astype(np.int64)))
    return net
