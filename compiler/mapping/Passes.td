//===- Passes.td - The mapping passes over the nmc dialect ----------------===//
#ifndef SNNC_COMPILER_MAPPING_PASSES_TD
#define SNNC_COMPILER_MAPPING_PASSES_TD

include "mlir/Pass/PassBase.td"

def NMCPartition : Pass<"nmc-partition", "::mlir::ModuleOp"> {
  let summary = "Cut an nmc.program's populations into cores of a target";
  let description = [{
    Cuts every population into neuron ranges and bin-packs them into cores
    against the target's neurons_per_core, synapse_words_per_core and
    fan_in_per_core (synapses are counted at the core of their target
    neuron; docs/mapping.md). Writes an `nmc.mapping` at stage
    `partitioned`, its cores on a pseudo-chip at (-1, -1), replacing any
    earlier mapping. A neuron that alone exceeds a core's limits gets a
    core of its own, which `nmc-check` reports. `target` is a preset name
    (`loihi-like`, `spinnaker-like`, `snncore`) or a JSON file
    (docs/targets.md); a bad one is refused before anything is mapped.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"snncore\"",
           "preset name or target description file">,
  ];
}

def NMCPlace : Pass<"nmc-place", "::mlir::ModuleOp"> {
  let summary = "Place the cores of a partitioned program on the chip mesh";
  let description = [{
    Assigns each core of the `nmc.mapping` to a chip of the target's mesh
    and a position on it, keeping cores that exchange many spikes close
    (docs/mapping.md); the mapping becomes `placed`, one `nmc.chip` per
    chip in use. More cores than the target holds is a violation that
    `nmc-check` reports.
  }];
}

def NMCRoute : Pass<"nmc-route", "::mlir::ModuleOp"> {
  let summary = "Keys, multicast routes and compressed routing tables";
  let description = [{
    Gives each core a routing key and mask, builds each core's multicast
    tree between chips (dimension-order paths), writes the routers'
    `nmc.route` entries (none where a packet goes straight on), and
    compresses every table by ordered covering; each chip keeps its entry
    count before compression. The mapping becomes `routed`.
  }];
}

def NMCCheck : Pass<"nmc-check", "::mlir::ModuleOp"> {
  let summary = "The design-rule check: every violated limit, all at once";
  let description = [{
    Checks the routed mapping against every limit of its target: neuron
    kinds, weight bits, delays, neurons, synapse words, fan-in and fan-out
    per core, cores per chip and chips, routing entries per router. Each
    violation is one error at the population or projection it concerns
    (else at the mapping), naming the node, the target's key, the limit and
    the number; the pass fails when there is any. It never stops at the
    first.
  }];
}

#endif // SNNC_COMPILER_MAPPING_PASSES_TD
