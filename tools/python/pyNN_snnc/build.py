"""Writing a PyNN network into an `snnc.Network` (the mapping of docs/pynn.md).

Units: v in mV, times in s (PyNN's ms / 1000), membrane resistance
r = tau_m / cm in MΩ (ms / nF), so that a current in nA times r is in mV.
Current receptors take PyNN's weights in nA unchanged, delta receptors in
mV; conductance receptors hold conductances relative to the leak
(g_leak = cm / tau_m in µS), so a weight in µS is multiplied by r.
A constant offset current i_offset moves the resting potential by
r * i_offset, which is the same membrane equation.
"""

import numpy as np

import snnc

from . import standardmodels as models

# Receptor types of each cell type: (snnc receptor type, tau parameter, e_rev parameter)
_RECEPTORS = {
    models.IF_curr_exp: ("current", "tau_syn_{}", None),
    models.IF_curr_alpha: ("alpha", "tau_syn_{}", None),
    models.IF_cond_exp: ("conductance", "tau_syn_{}", "e_rev_{}"),
    models.IF_curr_delta: ("delta", None, None),
}
SUPPORTED = tuple(_RECEPTORS) + (models.SpikeSourceArray, models.SpikeSourcePoisson)


def _scalar_or_array(values):
    """A number when all values are equal (the IR stays small), else the array."""
    values = np.asarray(values, dtype=float)
    if values.size and np.all(values == values.flat[0]):
        return float(values.flat[0])
    return values


def _add_neurons(net, population, name):
    celltype = type(population.celltype)
    kind, tau_name, e_name = _RECEPTORS[celltype]
    p = {k: np.asarray(v, dtype=float) for k, v in population._parameters.items()}
    r = p["tau_m"] / p["cm"]
    receptors = []
    for suffix, short in (("E", "exc"), ("I", "inh")):
        tau = _scalar_or_array(p[tau_name.format(suffix)] * 1e-3) if tau_name else None
        e_rev = _scalar_or_array(p[e_name.format(suffix)]) if e_name else None
        receptors.append(snnc.Receptor(short, kind, tau=tau, e_rev=e_rev))
    if population._current_sources:
        receptors.append(snnc.Receptor("inj", "injection"))
    v_init = population._v_init
    return net.receptor_lif(
        name, population.size,
        tau_mem=_scalar_or_array(p["tau_m"] * 1e-3),
        v_rest=_scalar_or_array(p["v_rest"] + r * p["i_offset"]),
        v_reset=_scalar_or_array(p["v_reset"]),
        v_threshold=_scalar_or_array(p["v_thresh"]),
        r=_scalar_or_array(r),
        refractory=_scalar_or_array(p["tau_refrac"] * 1e-3),
        v_init=_scalar_or_array(v_init),
        receptors=receptors)


def build_network(state):
    """Return (snnc.Network, profile) for everything created since setup()."""
    net = snnc.Network("pynn")
    conductance = False
    for k, population in enumerate(state.populations):
        name = f"p{k}"
        population._node_name = name
        population._fed = None
        population._fed = population._is_input()
        celltype = type(population.celltype)
        if celltype in _RECEPTORS:
            population._node = _add_neurons(net, population, name)
            conductance |= celltype is models.IF_cond_exp
        elif celltype is models.SpikeSourceArray:
            population._node = net.input(name, (population.size,))
        elif celltype is models.SpikeSourcePoisson:
            if population._poisson_is_native():
                population._node = net.poisson_source(
                    name, population.size,
                    rate=_scalar_or_array(population._parameters["rate"]),
                    seed=state.next_seed())
            else:
                population._node = net.input(name, (population.size,))
        else:
            raise NotImplementedError(
                f"snnc has no cell type {celltype.__name__}")
        population._inj_node = None
        if population._current_sources:
            inj = net.input(f"{name}_inj", (population.size,))
            idx = np.arange(population.size)
            net.sparse(inj, population._node, idx, idx, 1.0, receptor="inj")
            population._inj_node = inj
        if celltype is not models.SpikeSourceArray and not (
                celltype is models.SpikeSourcePoisson and not population._poisson_is_native()):
            net.output(f"{name}_out", population._node)
    for projection in state.projections:
        projection._build(net)
    profile = state.profile or ("euler" if conductance else "exact")
    return net, profile
