//===- Support.h - Helpers shared by the mapping steps ----------*- C++ -*-===//
//
// Internal to compiler/mapping: global neuron numbering, node names for
// violations, mesh geometry and the core-to-core synapse graph that both
// placement (as traffic) and routing (as destination sets) start from.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_MAPPING_SUPPORT_H
#define SNNC_COMPILER_MAPPING_SUPPORT_H

#include "mapping/Mapping.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc::mapping::detail {

/// First global neuron number of each population (populations numbered in
/// order), plus the total at the end.
std::vector<uint64_t> populationOffsets(const MapGraph &graph);

/// Projection indices grouped by source population.
std::vector<std::vector<uint32_t>> projectionsBySource(const MapGraph &graph);

/// "population 'exc'", "projection 'e2i'", "core 12 (exc[0:256])",
/// "router (3,1)".
std::string populationNode(const MapGraph &graph, uint32_t population);
std::string projectionNode(const MapGraph &graph, uint32_t projection);
std::string coreNode(const MapGraph &graph, const Mapping &mapping,
                     uint32_t core);
std::string routerNode(const target::Target &target, uint32_t chip);

Violation makeViolation(std::string node, std::string limit, uint64_t allowed,
                        uint64_t actual, std::string detail);

inline uint32_t chipX(const target::Target &t, uint32_t chip) {
  return chip % t.meshWidth;
}
inline uint32_t chipY(const target::Target &t, uint32_t chip) {
  return chip / t.meshWidth;
}
/// Hops between two chips under dimension-order routing on the mesh.
inline uint32_t hops(const target::Target &t, uint32_t a, uint32_t b) {
  int64_t dx = int64_t(chipX(t, a)) - chipX(t, b);
  int64_t dy = int64_t(chipY(t, a)) - chipY(t, b);
  return uint32_t((dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy));
}

/// The cores each core's neurons reach, as CSR by source core: core c
/// sends to dst[k] for k in [start[c], start[c + 1]), in first-seen order,
/// with traffic[k] = sum over those synapses of the source population's
/// activity (synapses x activity, the traffic placement weighs). Float
/// traffic keeps the graph at 8 bytes an edge: it is a cost estimate.
struct CoreGraph {
  std::vector<uint64_t> start;
  std::vector<uint32_t> dst;
  std::vector<float> traffic;
};
CoreGraph buildCoreGraph(const MapGraph &graph, const Mapping &mapping);

} // namespace snnc::mapping::detail

#endif // SNNC_COMPILER_MAPPING_SUPPORT_H
