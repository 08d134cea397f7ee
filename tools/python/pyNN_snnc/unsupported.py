"""PyNN models that snnc does not have. Each name exists, so that a script
fails where it asks for the model, with PyNN's NotImplementedError naming
it, rather than with an AttributeError."""

from pyNN import errors
from pyNN.standardmodels import cells, electrodes, synapses

_WHY = {
    "IF_cond_alpha": "alpha-shaped conductances (snnc has exponential conductances: IF_cond_exp)",
    "HH_cond_exp": "Hodgkin-Huxley channels",
    "EIF_cond_alpha_isfa_ista": "exponential integrate-and-fire with adaptation",
    "EIF_cond_exp_isfa_ista": "exponential integrate-and-fire with adaptation",
    "IF_cond_exp_gsfa_grr": "spike-frequency adaptation and relative refractoriness",
    "IF_facets_hardware1": "the FACETS hardware neuron",
    "Izhikevich": "the Izhikevich neuron",
    "SpikeSourceGamma": "gamma-process spike sources",
    "SpikeSourcePoissonRefractory": "Poisson sources with a dead time",
    "SpikeSourceInhGamma": "inhomogeneous gamma sources",
    "GIF_cond_exp": "generalized integrate-and-fire neurons",
    "TsodyksMarkramSynapse": "short-term plasticity (snnc's synapses are static)",
    "SimpleStochasticSynapse": "stochastic synapses",
    "MultiQuantalSynapse": "stochastic synapses",
    "STDPMechanism": "plasticity (snnc's synapses are static)",
    "ElectricalSynapse": "gap junctions",
}


class ModelNotSupportedError(NotImplementedError, errors.NoModelAvailableError):
    """A PyNN model that snnc does not have (both PyNN's error for a missing
    model and NotImplementedError)."""


def _unsupported(name, base):
    def __init__(self, *args, **kwargs):
        raise ModelNotSupportedError(
            f"snnc does not support {name}: it has no {_WHY[name]}. docs/pynn.md lists "
            "the models snnc runs")
    return type(name, (base,), {"__init__": __init__, "__doc__": f"Not supported by snnc: {_WHY[name]}."})


__all__ = ["ModelNotSupportedError"]
for _name in _WHY:
    for _module in (cells, synapses, electrodes):
        if hasattr(_module, _name):
            globals()[_name] = _unsupported(_name, getattr(_module, _name))
            __all__.append(_name)
            break
# weight dependences and timing rules belong to STDPMechanism, which is refused
for _name in ("AdditiveWeightDependence", "MultiplicativeWeightDependence",
              "AdditivePotentiationMultiplicativeDepression", "GutigWeightDependence",
              "SpikePairRule", "Vogels2011Rule"):
    if hasattr(synapses, _name):
        globals()[_name] = getattr(synapses, _name)
        __all__.append(_name)
