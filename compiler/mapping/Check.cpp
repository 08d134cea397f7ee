//===- Check.cpp - The design-rule check of a finished mapping ------------===//
//
// Every rule is checked and every violation returned, in a fixed order
// (populations, projections, cores, the core count, routers; each in index
// order), so that one run lists everything to fix and two runs of the same
// mapping print the same lines. The check reads the numbers the steps
// recorded (Core fields, router tables) and the graph; it recomputes
// nothing expensive.
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"
#include "mapping/Support.h"

namespace snnc::mapping {

std::string Violation::message() const {
  std::string s = node + ": " + limit;
  if (allowed == 0 && actual == 0) // a rule without numbers (neuron_kinds)
    return detail.empty() ? s : s + ": " + detail;
  s += " " + std::to_string(allowed) + " exceeded: " + std::to_string(actual);
  if (!detail.empty())
    s += " (" + detail + ")";
  return s;
}

std::vector<Violation> check(const MapGraph &graph,
                             const target::Target &target,
                             const Mapping &mapping) {
  using detail::makeViolation;
  std::vector<Violation> out;

  for (uint32_t p = 0; p < graph.populations.size(); ++p) {
    const MapPopulation &pop = graph.populations[p];
    if (target.supports(pop.kind))
      continue;
    std::string kinds;
    for (const std::string &k : target.neuronKinds)
      kinds += (kinds.empty() ? "" : ", ") + k;
    out.push_back(makeViolation(
        detail::populationNode(graph, p), "neuron_kinds", 0, 0,
        "kind '" + pop.kind + "' is not implemented by target '" + target.name +
            "' (it has " + (kinds.empty() ? "none" : kinds) + ")"));
  }

  for (uint32_t j = 0; j < graph.projections.size(); ++j) {
    const MapProjection &proj = graph.projections[j];
    const std::string node = detail::projectionNode(graph, j);
    if (proj.weightBits > target.weightBits)
      out.push_back(makeViolation(node, "weight_bits", target.weightBits,
                                  proj.weightBits,
                                  "its quantized weights need that many bits"));
    if (proj.maxDelay > target.delaySlots)
      out.push_back(makeViolation(
          node, "delay_slots", target.delaySlots, proj.maxDelay,
          "its longest delay, in steps, is over what a core can hold"));
  }

  for (uint32_t c = 0; c < mapping.cores.size(); ++c) {
    const Core &core = mapping.cores[c];
    const auto node = [&] { return detail::coreNode(graph, mapping, c); };
    if (core.neurons > target.neuronsPerCore)
      out.push_back(makeViolation(node(), "neurons_per_core",
                                  target.neuronsPerCore, core.neurons,
                                  "neurons on the core"));
    if (core.synapseWords > target.synapseWordsPerCore)
      out.push_back(makeViolation(
          node(), "synapse_words_per_core", target.synapseWordsPerCore,
          core.synapseWords,
          std::to_string(core.synapses) + " incoming synapses at " +
              std::to_string(target.synapsesPerWord) + " per word"));
    if (core.fanIn > target.fanInPerCore)
      out.push_back(makeViolation(node(), "fan_in_per_core",
                                  target.fanInPerCore, core.fanIn,
                                  "distinct source neurons"));
    if (core.fanOut > target.fanOutPerCore)
      out.push_back(makeViolation(node(), "fan_out_per_core",
                                  target.fanOutPerCore, core.fanOut,
                                  "distinct destination cores"));
  }

  checkAxonTables(graph, target, mapping, out);

  if (mapping.cores.size() > target.cores())
    out.push_back(makeViolation("network", "cores_per_chip", target.cores(),
                                mapping.cores.size(),
                                std::to_string(target.chips()) + " chips x " +
                                    std::to_string(target.coresPerChip) +
                                    " cores hold fewer cores "
                                    "than the network needs"));

  for (const Router &r : mapping.routers)
    if (r.entries.size() > target.routingEntriesPerRouter)
      out.push_back(makeViolation(
          detail::routerNode(target, r.chip), "routing_entries_per_router",
          target.routingEntriesPerRouter, r.entries.size(),
          std::to_string(r.entriesBeforeCompression) +
              " entries before compression"));
  return out;
}

} // namespace snnc::mapping
