//===- AxonCheck.cpp - Fan-in as a key-block axon table counts it ---------===//
//
// For targets whose cores hear each source core through input-key entries
// over aligned blocks of its neurons (Target::inputKeysPerCore, snncore),
// fan-in is not the number of distinct source neurons but the axons of
// those blocks (runtime/reference/AxonBlocks.h, the layout the rtl backend
// builds). This pass over the synapses finds, per core, the (source core,
// local index) pairs it hears, then lays out the blocks the same way, so
// that a mapping the check passes is one the chip can load. It reads every
// synapse once and keeps one entry per distinct (source neuron, core) pair.
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"
#include "mapping/Support.h"

#include "AxonBlocks.h"

#include <algorithm>

namespace snnc::mapping {

void checkAxonTables(const MapGraph &graph, const target::Target &target,
                     const Mapping &mapping, std::vector<Violation> &out) {
  if (target.inputKeysPerCore == 0 || mapping.coreOf.empty())
    return;
  const uint32_t cores = uint32_t(mapping.cores.size());
  // Each neuron's index on its core, counting through the core's slices.
  std::vector<std::vector<uint32_t>> localOf(graph.populations.size());
  for (uint32_t p = 0; p < graph.populations.size(); ++p)
    localOf[p].assign(graph.populations[p].size, 0);
  for (const Core &c : mapping.cores) {
    uint32_t local = 0;
    for (const CoreSlice &s : c.slices)
      for (uint32_t n = s.lo; n < s.hi; ++n)
        localOf[s.population][n] = local++;
  }
  // Per target core: (source core, local index) of every neuron it hears.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> heard(cores);
  std::vector<uint32_t> stamp(cores, UINT32_MAX);
  for (const MapProjection &pj : graph.projections) {
    if (pj.rowStart.empty() || mapping.coreOf[pj.source].empty())
      continue;
    const uint32_t sourceSize = graph.populations[pj.source].size;
    for (uint32_t i = 0; i < sourceSize; ++i) {
      const uint32_t sc = mapping.coreOf[pj.source][i];
      for (uint64_t k = pj.rowStart[i]; k < pj.rowStart[i + 1]; ++k) {
        const uint32_t tc = mapping.coreOf[pj.target][pj.targets[k]];
        if (stamp[tc] == i)
          continue;
        stamp[tc] = i;
        heard[tc].push_back({sc, localOf[pj.source][i]});
      }
    }
    std::fill(stamp.begin(), stamp.end(), UINT32_MAX);
  }
  for (uint32_t c = 0; c < cores; ++c) {
    std::vector<std::pair<uint32_t, uint32_t>> &h = heard[c];
    if (h.empty())
      continue;
    std::sort(h.begin(), h.end());
    h.erase(std::unique(h.begin(), h.end()), h.end());
    std::vector<std::pair<uint32_t, std::vector<uint32_t>>> bySource;
    for (const auto &[sc, local] : h) {
      if (bySource.empty() || bySource.back().first != sc)
        bySource.push_back({sc, {}});
      bySource.back().second.push_back(local);
    }
    const std::vector<ref::AxonBlock> blocks =
        ref::axonBlocks(bySource, target.fanInPerCore, target.inputKeysPerCore);
    uint64_t axons = 0;
    for (const ref::AxonBlock &b : blocks)
      axons += b.size;
    const std::string node = detail::coreNode(graph, mapping, c);
    if (bySource.size() > target.inputKeysPerCore)
      out.push_back(detail::makeViolation(
          node, "input_keys_per_core", target.inputKeysPerCore, bySource.size(),
          "source cores it hears, one key entry each"));
    else if (axons > target.fanInPerCore)
      out.push_back(detail::makeViolation(
          node, "fan_in_per_core", target.fanInPerCore, axons,
          "axons of the aligned blocks of source-core neurons it hears "
          "through " +
              std::to_string(blocks.size()) + " key entries; " +
              std::to_string(h.size()) + " distinct source neurons"));
  }
}

} // namespace snnc::mapping
