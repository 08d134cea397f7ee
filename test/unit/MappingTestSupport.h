//===- MappingTestSupport.h - Random networks and targets for mapping tests
//===//
//
// Shared by MappingTest.cpp (partition, check, place, estimate) and
// MappingRouteTest.cpp (keys, trees, compression, the packet simulator).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_UNIT_MAPPINGTESTSUPPORT_H
#define SNNC_TEST_UNIT_MAPPINGTESTSUPPORT_H

#include "mapping/Mapping.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace snnc::mapping::maptest {

using Rng = std::mt19937_64;

inline uint32_t uniform(Rng &rng, uint32_t lo, uint32_t hi) { // [lo, hi]
  return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
}

/// A projection with `perSource(rng)` random targets per source neuron.
inline MapProjection randomProjection(Rng &rng, const MapGraph &g, uint32_t src,
                                      uint32_t dst, uint32_t maxPerSource) {
  MapProjection p;
  p.name = g.populations[src].name + "->" + g.populations[dst].name;
  p.source = src;
  p.target = dst;
  p.rowStart.push_back(0);
  for (uint32_t i = 0; i < g.populations[src].size; ++i) {
    const uint32_t n = uniform(rng, 0, maxPerSource);
    for (uint32_t k = 0; k < n; ++k)
      p.targets.push_back(uniform(rng, 0, g.populations[dst].size - 1));
    p.rowStart.push_back(p.targets.size());
  }
  return p;
}

inline MapGraph randomGraph(Rng &rng) {
  MapGraph g;
  const uint32_t pops = uniform(rng, 1, 6);
  for (uint32_t p = 0; p < pops; ++p) {
    MapPopulation pop;
    pop.name = "p" + std::to_string(p);
    pop.kind = "LIF";
    // Mostly small populations, some larger than a core.
    pop.size =
        uniform(rng, 0, 3) == 0 ? uniform(rng, 60, 700) : uniform(rng, 1, 40);
    pop.activity = 0.01 * uniform(rng, 1, 10);
    g.populations.push_back(pop);
  }
  const uint32_t projs = uniform(rng, 0, 2 * pops);
  for (uint32_t j = 0; j < projs; ++j) {
    const uint32_t src = uniform(rng, 0, pops - 1);
    const uint32_t dst = uniform(rng, 0, pops - 1);
    g.projections.push_back(
        randomProjection(rng, g, src, dst, uniform(rng, 0, 24)));
  }
  return g;
}

inline target::Target baseTarget() {
  target::Target t;
  t.name = "test";
  t.origin = "test";
  t.neuronKinds = {"LIF"};
  t.routingEntriesPerRouter = 1u << 20;
  t.fanOutPerCore = 1u << 20;
  t.delaySlots = 16;
  return t;
}

inline target::Target randomTarget(Rng &rng) {
  target::Target t = baseTarget();
  t.neuronsPerCore = uniform(rng, 4, 64);
  t.synapsesPerWord = uniform(rng, 1, 4);
  t.synapseWordsPerCore = uniform(rng, 20, 600);
  t.fanInPerCore = uniform(rng, 8, 200);
  t.fanOutPerCore = uniform(rng, 4, 64);
  t.coresPerChip = uniform(rng, 1, 8);
  return t;
}

/// A mesh of random shape with room for `cores`.
inline void fitMesh(Rng &rng, target::Target &t, uint64_t cores) {
  const uint64_t chips = (cores + t.coresPerChip - 1) / t.coresPerChip;
  t.meshWidth = uniform(rng, 1, 6);
  t.meshHeight = uint32_t(std::max<uint64_t>(
      1, (chips + t.meshWidth - 1) / t.meshWidth + uniform(rng, 0, 1)));
}

/// The core that holds each (population, neuron), from the slices alone.
inline std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>>
holders(const Mapping &m) {
  std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> h;
  for (uint32_t c = 0; c < m.cores.size(); ++c)
    for (const CoreSlice &s : m.cores[c].slices)
      for (uint32_t i = s.lo; i < s.hi; ++i)
        h[{s.population, i}].push_back(c);
  return h;
}

inline bool reported(const std::vector<Violation> &vs, uint32_t core,
                     const std::string &limit) {
  const std::string prefix = "core " + std::to_string(core) + " (";
  for (const Violation &v : vs)
    if (v.limit == limit && v.node.rfind(prefix, 0) == 0)
      return true;
  return false;
}

/// Two populations of four neurons, neuron i of the first to neuron i of
/// the second, with the given activities; and a target whose cores hold
/// one population each, on a `width` x 1 mesh.
inline MapGraph oneToOne(double activityA, double activityB) {
  MapGraph g;
  g.populations = {{"a", "LIF", 4, true, activityA},
                   {"b", "LIF", 4, true, activityB}};
  MapProjection p;
  p.name = "a->b";
  p.source = 0;
  p.target = 1;
  p.rowStart = {0, 1, 2, 3, 4};
  p.targets = {0, 1, 2, 3};
  g.projections.push_back(p);
  return g;
}

inline target::Target smallTarget(uint32_t width) {
  target::Target t = baseTarget();
  t.neuronsPerCore = 4;
  t.synapseWordsPerCore = 100;
  t.fanInPerCore = 100;
  t.meshWidth = width;
  t.meshHeight = 1;
  return t;
}

} // namespace snnc::mapping::maptest

#endif // SNNC_TEST_UNIT_MAPPINGTESTSUPPORT_H
