"""Checks that a file follows the HDF5 layout NIR's reader (nir.read) expects.

Usage: python3 check_nir_layout.py FILE.nir
Every graph group: type "NIRGraph", a nodes/ group, an (N, 2) string edges
dataset whose names resolve; every node: a known type string and exactly the
fields that NIR's node class for that type takes; numeric arrays
gzip-compressed. Prints "ok: N nodes" or the first problem, exit 1.
"""
import sys

import h5py

# Fields of each NIR node type, as nir.read passes them to the node classes.
FIELDS = {
    "Input": {"shape"},
    "Output": {"shape"},
    "Affine": {"weight", "bias"},
    "Linear": {"weight"},
    "Scale": {"scale"},
    "Conv1d": {"input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"},
    "Conv2d": {"input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"},
    "SumPool2d": {"kernel_size", "stride", "padding"},
    "AvgPool2d": {"kernel_size", "stride", "padding"},
    "Flatten": {"input_type", "start_dim", "end_dim"},
    "Delay": {"delay"},
    "Threshold": {"threshold"},
    "I": {"r"},
    "IF": {"r", "v_threshold", "v_reset"},
    "LI": {"tau", "r", "v_leak"},
    "LIF": {"tau", "r", "v_leak", "v_threshold", "v_reset"},
    "CubaLI": {"tau_syn", "tau_mem", "r", "v_leak", "w_in"},
    "CubaLIF": {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in"},
}
OPTIONAL = {"Conv1d": {"input_shape"}, "Conv2d": {"input_shape"}, "Flatten": {"input_type"}}


def text(ds):
    v = ds[()]
    return v.decode() if isinstance(v, bytes) else str(v)


def check_graph(g, where):
    if text(g["type"]) != "NIRGraph":
        raise ValueError(f"{where}: type is not NIRGraph")
    names = set(g["nodes"].keys())
    count = 0
    for name, node in g["nodes"].items():
        here = f"{where}/nodes/{name}"
        kind = text(node["type"])
        if kind == "NIRGraph":
            count += check_graph(node, here)
            continue
        if kind not in FIELDS:
            raise ValueError(f"{here}: unknown type {kind}")
        have = set(node.keys()) - {"type", "metadata"}
        need = FIELDS[kind] - OPTIONAL.get(kind, set())
        if not need <= have or not have <= FIELDS[kind]:
            raise ValueError(f"{here}: fields {sorted(have)}, NIR {kind} takes {sorted(FIELDS[kind])}")
        for field in have:
            ds = node[field]
            if ds.shape and ds.size > 0 and ds.compression != "gzip":
                raise ValueError(f"{here}/{field}: not gzip-compressed")
        count += 1
    edges = g["edges"]
    if edges.ndim != 2 or edges.shape[1] != 2 or edges.dtype.kind not in "OS":
        raise ValueError(f"{where}/edges: not an (N, 2) string dataset")
    for src, dst in edges[()]:
        for end in (src.decode(), dst.decode()):
            if end not in names and end.split(".")[0] not in names:
                raise ValueError(f"{where}/edges: '{end}' names no node")
    return count


with h5py.File(sys.argv[1], "r") as f:
    try:
        if not text(f["version"]):
            raise ValueError("/version is empty")
        print(f"ok: {check_graph(f['node'], '/node')} nodes")
    except (KeyError, ValueError) as e:
        print(f"{sys.argv[1]}: {e}")
        sys.exit(1)
