//===- Partition.cpp - Populations into core slices -----------------------===//
//
// Neurons go onto cores in population order, one contiguous slice at a time,
// under three limits per core: neurons, synapse words (the synapses whose
// target neuron is on the core, ceil(synapses / synapses_per_word)) and
// fan-in (distinct source neurons of those synapses, over all projections).
//
// Packing: a few cores stay open at once (kOpenCores). A population that can
// fit on one core is first tried whole on each open core, oldest first
// (first fit over the open cores), so small populations share cores; failing
// that it gets a fresh core. A larger population streams neuron by neuron
// into the newest open core, and a core is closed when the next neuron would
// break a limit. Opening a core beyond kOpenCores closes the oldest one.
//
// Cost: the incoming adjacency (source neuron of every synapse, by target
// neuron) is built once. Each open core owns a stamp array over all neurons
// (stamp[s] == core id: s already counts in that core's fan-in), so a trial
// costs the synapses it adds, and failing trials undo only the stamps they
// set. Small populations are tried on at most kOpenCores cores, so the whole
// step is O(kOpenCores x (neurons + synapses)) time and kOpenCores + 2 arrays
// of the neuron count.
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"
#include "mapping/Support.h"

#include <deque>
#include <limits>

namespace snnc::mapping {
namespace {

constexpr size_t kOpenCores = 4;
constexpr uint32_t kNoCore = std::numeric_limits<uint32_t>::max();

class Partitioner {
public:
  Partitioner(const MapGraph &graph, const target::Target &target,
              Mapping &mapping)
      : graph(graph), target(target), mapping(mapping) {}

  std::vector<Violation> run();

private:
  struct OpenCore {
    uint32_t core = kNoCore;
    std::vector<uint32_t> stamp; ///< over global neurons
  };

  void buildIncoming();
  uint64_t wordsFor(uint64_t synapses) const {
    return (synapses + target.synapsesPerWord - 1) / target.synapsesPerWord;
  }
  /// Adds neurons [lo, hi) of population p to the open core if the three
  /// limits allow it (or unconditionally with `force`); false leaves the
  /// core as it was.
  bool tryAdd(OpenCore &open, uint32_t p, uint32_t lo, uint32_t hi,
              bool force = false);
  OpenCore &openNewCore();
  void placeAlone(OpenCore &oc, uint32_t p, uint32_t i);

  const MapGraph &graph;
  const target::Target &target;
  Mapping &mapping;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> inStart;  ///< CSR by global target neuron
  std::vector<uint32_t> inSource; ///< global source neuron
  std::deque<OpenCore> open;      ///< oldest first
  std::vector<uint32_t> added;    ///< sources a trial stamped
  std::vector<Violation> violations;
};

void Partitioner::buildIncoming() {
  const uint64_t total = offsets.back();
  inStart.assign(total + 1, 0);
  for (const MapProjection &proj : graph.projections) {
    const uint64_t base = offsets[proj.target];
    for (uint32_t t : proj.targets)
      ++inStart[base + t + 1];
  }
  for (uint64_t n = 0; n < total; ++n)
    inStart[n + 1] += inStart[n];
  inSource.resize(inStart[total]);
  std::vector<uint64_t> fill(inStart.begin(), inStart.end() - 1);
  for (const MapProjection &proj : graph.projections) {
    const uint64_t srcBase = offsets[proj.source];
    const uint64_t dstBase = offsets[proj.target];
    const uint64_t rows = proj.rowStart.empty() ? 0 : proj.rowStart.size() - 1;
    for (uint64_t i = 0; i < rows; ++i)
      for (uint64_t k = proj.rowStart[i]; k < proj.rowStart[i + 1]; ++k)
        inSource[fill[dstBase + proj.targets[k]]++] = uint32_t(srcBase + i);
  }
}

bool Partitioner::tryAdd(OpenCore &oc, uint32_t p, uint32_t lo, uint32_t hi,
                         bool force) {
  Core &core = mapping.cores[oc.core];
  const uint32_t count = hi - lo;
  const uint64_t first = offsets[p] + lo, last = offsets[p] + hi;
  const uint64_t synapses = inStart[last] - inStart[first];
  // The neuron and word limits need no scan: fail fast on them.
  if (!force &&
      (core.neurons + uint64_t(count) > target.neuronsPerCore ||
       wordsFor(core.synapses + synapses) > target.synapseWordsPerCore))
    return false;
  added.clear();
  for (uint64_t k = inStart[first]; k < inStart[last]; ++k) {
    const uint32_t s = inSource[k];
    if (oc.stamp[s] != oc.core) {
      oc.stamp[s] = oc.core;
      added.push_back(s);
    }
  }
  if (!force && core.fanIn + uint64_t(added.size()) > target.fanInPerCore) {
    // Only the core in this slot compares equal to the stamp, so any other
    // value undoes the trial.
    for (uint32_t s : added)
      oc.stamp[s] = kNoCore;
    return false;
  }
  core.neurons += count;
  core.synapses += synapses;
  core.synapseWords = wordsFor(core.synapses);
  core.fanIn += uint32_t(added.size());
  if (!core.slices.empty() && core.slices.back().population == p &&
      core.slices.back().hi == lo)
    core.slices.back().hi = hi;
  else
    core.slices.push_back(CoreSlice{p, lo, hi});
  std::vector<uint32_t> &coreOf = mapping.coreOf[p];
  for (uint32_t i = lo; i < hi; ++i)
    coreOf[i] = oc.core;
  return true;
}

Partitioner::OpenCore &Partitioner::openNewCore() {
  OpenCore oc;
  if (open.size() >= kOpenCores) {
    // Reuse the oldest slot's stamp array: its core is closed for good, and
    // stamps compare against core ids, which are never reused.
    oc.stamp = std::move(open.front().stamp);
    open.pop_front();
  } else {
    oc.stamp.assign(offsets.back(), kNoCore);
  }
  oc.core = uint32_t(mapping.cores.size());
  mapping.cores.emplace_back();
  open.push_back(std::move(oc));
  return open.back();
}

/// Neuron i of population p breaks a limit even on the empty core `oc`:
/// it gets that core to itself (every later trial on it fails, since it is
/// over a limit already), and the violation says which limit and by how
/// much.
void Partitioner::placeAlone(OpenCore &oc, uint32_t p, uint32_t i) {
  tryAdd(oc, p, i, i + 1, /*force=*/true);
  const Core &core = mapping.cores[oc.core];
  const std::string node =
      detail::populationNode(graph, p) + " neuron " + std::to_string(i);
  const std::string own =
      "; it gets core " + std::to_string(oc.core) + " on its own";
  if (core.synapseWords > target.synapseWordsPerCore)
    violations.push_back(detail::makeViolation(
        node, "synapse_words_per_core", target.synapseWordsPerCore,
        core.synapseWords,
        "its " + std::to_string(core.synapses) +
            " incoming synapses need that many words alone" + own));
  if (core.fanIn > target.fanInPerCore)
    violations.push_back(detail::makeViolation(
        node, "fan_in_per_core", target.fanInPerCore, core.fanIn,
        "it alone has that many distinct source neurons" + own));
}

std::vector<Violation> Partitioner::run() {
  mapping.cores.clear();
  mapping.coreOf.assign(graph.populations.size(), {});
  offsets = detail::populationOffsets(graph);
  buildIncoming();

  for (uint32_t p = 0; p < graph.populations.size(); ++p) {
    const uint32_t size = graph.populations[p].size;
    mapping.coreOf[p].assign(size, kNoCore);
    if (size == 0)
      continue;
    if (size <= target.neuronsPerCore) {
      bool placed = false;
      for (OpenCore &oc : open)
        if ((placed = tryAdd(oc, p, 0, size)))
          break;
      if (placed)
        continue;
      if (tryAdd(openNewCore(), p, 0, size))
        continue;
      // Too heavy for one core in synapses or fan-in: stream it from the
      // fresh core like a large population.
    }
    for (uint32_t i = 0; i < size; ++i) {
      if (!open.empty() && tryAdd(open.back(), p, i, i + 1))
        continue;
      // A fresh core, unless the newest one is empty already (then i has
      // just failed on an empty core).
      if (open.empty() || mapping.cores[open.back().core].neurons != 0)
        if (tryAdd(openNewCore(), p, i, i + 1))
          continue;
      placeAlone(open.back(), p, i);
    }
  }
  return std::move(violations);
}

} // namespace

std::vector<Violation> partition(const MapGraph &graph,
                                 const target::Target &target,
                                 Mapping &mapping) {
  Mapping fresh;
  Partitioner partitioner(graph, target, fresh);
  std::vector<Violation> violations = partitioner.run();
  mapping = std::move(fresh);
  return violations;
}

} // namespace snnc::mapping
