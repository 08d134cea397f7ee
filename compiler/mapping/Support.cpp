//===- Support.cpp - Helpers shared by the mapping steps ------------------===//
//
// Node names for violation messages and the core-to-core graph. The graph
// is built by one pass over every synapse with a stamp array over cores
// (stamp[d] == c: core d already has an edge from core c), so it costs
// O(synapses + edges) and no per-core set.
//
//===----------------------------------------------------------------------===//
#include "mapping/Support.h"

#include <limits>

namespace snnc::mapping::detail {

std::vector<uint64_t> populationOffsets(const MapGraph &graph) {
  std::vector<uint64_t> offsets(graph.populations.size() + 1, 0);
  for (size_t p = 0; p < graph.populations.size(); ++p)
    offsets[p + 1] = offsets[p] + graph.populations[p].size;
  return offsets;
}

std::vector<std::vector<uint32_t>> projectionsBySource(const MapGraph &graph) {
  std::vector<std::vector<uint32_t>> bySource(graph.populations.size());
  for (size_t j = 0; j < graph.projections.size(); ++j)
    if (graph.projections[j].source < bySource.size())
      bySource[graph.projections[j].source].push_back(uint32_t(j));
  return bySource;
}

std::string populationNode(const MapGraph &graph, uint32_t population) {
  return "population '" + graph.populations[population].name + "'";
}

std::string projectionNode(const MapGraph &graph, uint32_t projection) {
  return "projection '" + graph.projections[projection].name + "'";
}

std::string coreNode(const MapGraph &graph, const Mapping &mapping,
                     uint32_t core) {
  // Three slices say which populations a core holds; a core packed with
  // dozens of small populations would otherwise make an unreadable line.
  constexpr size_t kShown = 3;
  const Core &c = mapping.cores[core];
  std::string s = "core " + std::to_string(core) + " (";
  for (size_t i = 0; i < c.slices.size() && i < kShown; ++i) {
    const CoreSlice &sl = c.slices[i];
    if (i)
      s += ", ";
    s += graph.populations[sl.population].name + "[" + std::to_string(sl.lo) +
         ":" + std::to_string(sl.hi) + "]";
  }
  if (c.slices.size() > kShown)
    s += ", +" + std::to_string(c.slices.size() - kShown) + " more";
  return s + ")";
}

std::string routerNode(const target::Target &target, uint32_t chip) {
  return "router (" + std::to_string(chipX(target, chip)) + "," +
         std::to_string(chipY(target, chip)) + ")";
}

Violation makeViolation(std::string node, std::string limit, uint64_t allowed,
                        uint64_t actual, std::string detail) {
  Violation v;
  v.node = std::move(node);
  v.limit = std::move(limit);
  v.allowed = allowed;
  v.actual = actual;
  v.detail = std::move(detail);
  return v;
}

CoreGraph buildCoreGraph(const MapGraph &graph, const Mapping &mapping) {
  const auto bySource = projectionsBySource(graph);
  const uint32_t numCores = uint32_t(mapping.cores.size());
  CoreGraph g;
  g.start.assign(numCores + 1, 0);
  std::vector<uint32_t> stamp(numCores, std::numeric_limits<uint32_t>::max());
  std::vector<uint64_t> slot(numCores, 0);
  for (uint32_t c = 0; c < numCores; ++c) {
    g.start[c] = g.dst.size();
    for (const CoreSlice &sl : mapping.cores[c].slices) {
      const float activity = float(graph.populations[sl.population].activity);
      for (uint32_t j : bySource[sl.population]) {
        const MapProjection &proj = graph.projections[j];
        const std::vector<uint32_t> &coreOf = mapping.coreOf[proj.target];
        for (uint64_t k = proj.rowStart[sl.lo]; k < proj.rowStart[sl.hi]; ++k) {
          const uint32_t d = coreOf[proj.targets[k]];
          if (stamp[d] != c) {
            stamp[d] = c;
            slot[d] = g.dst.size();
            g.dst.push_back(d);
            g.traffic.push_back(0.0f);
          }
          g.traffic[slot[d]] += activity;
        }
      }
    }
  }
  g.start[numCores] = g.dst.size();
  return g;
}

} // namespace snnc::mapping::detail
