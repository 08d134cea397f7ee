//===- ArtifactMapping.cpp - The mapping table of a .snnb -----------------===//
//
// See ArtifactMapping.h. The checks here are the compiler's own: a mapping
// the mapping passes produced passes them; one edited by hand in nmc IR
// and read back by snn-opt/snnc may not, and is refused before any byte is
// written. The runtime checks the same again on load (MappingChecks.cpp).
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/ArtifactMapping.h"

#include <algorithm>

namespace snnc {

namespace fb = flatbuffers;

namespace {

/// Every neuron of every population on exactly one core.
bool coverage(const NetworkPlan &plan, const PlanMapping &m,
              std::string &error) {
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> ranges(
      plan.populations.size());
  for (size_t c = 0; c < m.cores.size(); ++c)
    for (const PlanMapping::Slice &s : m.cores[c].slices) {
      if (s.population >= plan.populations.size()) {
        error = "core " + std::to_string(c) + " holds population " +
                std::to_string(s.population) + ", but the program has " +
                std::to_string(plan.populations.size());
        return false;
      }
      const PlanPopulation &p = plan.populations[s.population];
      if (s.lo >= s.hi || int64_t(s.hi) > p.size) {
        error = "core " + std::to_string(c) + " holds neurons [" +
                std::to_string(s.lo) + ", " + std::to_string(s.hi) + ") of '" +
                p.name + "', which has " + std::to_string(p.size);
        return false;
      }
      ranges[s.population].push_back({s.lo, s.hi});
    }
  for (size_t p = 0; p < ranges.size(); ++p) {
    auto &r = ranges[p];
    std::sort(r.begin(), r.end());
    uint32_t next = 0;
    for (auto [lo, hi] : r) {
      if (lo != next) {
        error = "population '" + plan.populations[p].name + "': neurons " +
                (lo > next ? "[" + std::to_string(next) + ", " +
                                 std::to_string(lo) + ") are on no core"
                           : "[" + std::to_string(lo) + ", " +
                                 std::to_string(std::min(next, hi)) +
                                 ") are on two cores");
        return false;
      }
      next = hi;
    }
    if (int64_t(next) != plan.populations[p].size) {
      error = "population '" + plan.populations[p].name + "': neurons [" +
              std::to_string(next) + ", " +
              std::to_string(plan.populations[p].size) + ") are on no core";
      return false;
    }
  }
  return true;
}

} // namespace

bool writeMappingTable(fb::FlatBufferBuilder &b, const NetworkPlan &plan,
                       const PlanMapping &m, fb::Offset<snnb::Mapping> &out,
                       std::string &error) {
  if (m.stage != "routed") {
    error = "the mapping onto '" + m.target + "' is " + m.stage +
            ", not routed; run nmc-place and nmc-route before writing an "
            "artifact";
    return false;
  }
  for (size_t c = 0; c < m.cores.size(); ++c) {
    const PlanMapping::Core &core = m.cores[c];
    if (core.chip >= m.chips.size() || core.index >= m.coresPerChip) {
      error = "core " + std::to_string(c) + " is at chip " +
              std::to_string(core.chip) + ", position " +
              std::to_string(core.index) + ": outside the " +
              std::to_string(m.chips.size()) + " chip(s) in use or the " +
              std::to_string(m.coresPerChip) + " cores per chip";
      return false;
    }
  }
  if (!coverage(plan, m, error))
    return false;
  std::vector<fb::Offset<snnb::Chip>> chips;
  for (const PlanMapping::Chip &c : m.chips) {
    std::vector<fb::Offset<snnb::RouteEntry>> routes;
    for (const PlanMapping::Route &r : c.routes)
      routes.push_back(
          snnb::CreateRouteEntryDirect(b, r.key, r.mask, r.links, &r.cores));
    chips.push_back(snnb::CreateChipDirect(b, c.x, c.y, &routes,
                                           c.entriesBeforeCompression));
  }
  std::vector<fb::Offset<snnb::Core>> cores;
  for (size_t id = 0; id < m.cores.size(); ++id) {
    const PlanMapping::Core &c = m.cores[id];
    std::vector<fb::Offset<snnb::CoreSlice>> slices;
    for (const PlanMapping::Slice &s : c.slices)
      slices.push_back(snnb::CreateCoreSlice(b, s.population, s.lo, s.hi));
    cores.push_back(snnb::CreateCoreDirect(b, uint32_t(id), c.chip, c.index,
                                           &slices, c.synapses, c.synapseWords,
                                           c.fanIn, c.fanOut, c.key, c.mask));
  }
  out = snnb::CreateMappingDirect(b, m.target.c_str(), m.targetJson.c_str(),
                                  m.meshWidth, m.meshHeight, m.coresPerChip,
                                  &chips, &cores);
  return true;
}

} // namespace snnc
