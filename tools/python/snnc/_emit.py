"""Prints a builder Network as an ``snn.network`` (docs/dialects/snn.md).

The body is a graph region, so ops appear in the order they were added and
may use values defined further down (recurrent projections need nothing
special). Nodes that sum several inputs take them all with one type, the
node's own, which every projection into it has.
"""

import re

from . import _mlir


def _ssa_names(nodes):
    """Value names derived from node names (readable in compiler messages),
    made valid and unique."""
    names, used = {}, set()
    for node in nodes:
        base = re.sub(r"[^A-Za-z0-9$._-]", "_", node.name)
        if not re.match(r"[A-Za-z_$.-]", base):
            base = "_" + base
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}_{k}"
        used.add(name)
        names[node] = "%" + name
    return names


def network_text(net):
    nodes = list(net._nodes.values())
    ssa = _ssa_names(nodes)
    resources = _mlir.Resources()
    lines = [f"snn.network @{net.name} {{"]
    for node in nodes:
        out_type = _mlir.tensor_type(node.shape)
        if node.op == "input":
            lines.append(f'  {ssa[node]} = snn.input "{node.name}" : {out_type}')
            continue
        operands = ", ".join(ssa[i] for i in node.inputs)
        attrs = node.attributes(resources)
        types = out_type
        if node.in_shape is not None and node.in_shape != node.shape:
            types = f"{_mlir.tensor_type(node.in_shape)} -> {out_type}"
        attr_text = (" {" + ",\n      ".join(attrs) + "}") if attrs else ""
        lines.append(f'  {ssa[node]} = snn.{node.op} "{node.name}"({operands})'
                     f"{attr_text} : {types}")
    for name, source in net._outputs:
        lines.append(f'  snn.output "{name}"({ssa[source]}) : '
                     f"{_mlir.tensor_type(source.shape)}")
    lines.append("}")
    return "\n".join(lines) + "\n" + resources.text()
