//===- AxonBlocks.h - How an snncore core's axon table is laid out -*- C++
//-*-===//
//
// A core hears a source core through one input-key entry covering an
// aligned block of that core's neurons (a power of two of them), and gives
// every neuron of the block an axon, whether it has synapses here or not.
// The layout: per source core with synapses here, the smallest aligned block
// holding all its neurons that have some; then, while the axons exceed the
// axon table, the block whose halves save the most axons is split (a half
// without synapses is dropped), as long as the key table has room. The rtl
// backend builds the chip's tables this way, and the mapper's design-rule
// check counts axons and key entries with the same function, so a mapping
// the check passes is one the chip can load (docs/rtl-core.md §4).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_REFERENCE_AXONBLOCKS_H
#define SNNC_RUNTIME_REFERENCE_AXONBLOCKS_H

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

namespace snnc::ref {

/// [lo, lo + size) of source core `core`'s neurons: one key entry, `size`
/// axons.
struct AxonBlock {
  uint32_t core, lo, size;
};

/// `heard`: per source core (any order), the local indices of its neurons
/// that have synapses on this core, ascending and distinct. Returns the key
/// entries, by (core, lo); their sizes add up to the axons the table needs,
/// which may still exceed `axonTable` (or the entries `keyTable`) when no
/// split is left.
inline std::vector<AxonBlock>
axonBlocks(const std::vector<std::pair<uint32_t, std::vector<uint32_t>>> &heard,
           uint64_t axonTable, uint64_t keyTable) {
  auto sourcesOf = [&](uint32_t core) -> const std::vector<uint32_t> & {
    for (const auto &[c, locals] : heard)
      if (c == core)
        return locals;
    static const std::vector<uint32_t> none;
    return none;
  };
  auto used = [&](const AxonBlock &b) {
    const std::vector<uint32_t> &l = sourcesOf(b.core);
    auto it = std::lower_bound(l.begin(), l.end(), b.lo);
    return it != l.end() && *it < b.lo + b.size;
  };
  std::vector<AxonBlock> out;
  for (const auto &[core, locals] : heard) {
    if (locals.empty())
      continue;
    const uint32_t lo = locals.front(), hi = locals.back();
    uint32_t size = 1;
    while (lo / size != hi / size)
      size *= 2;
    out.push_back({core, lo / size * size, size});
  }
  auto axons = [&] {
    uint64_t n = 0;
    for (const AxonBlock &b : out)
      n += b.size;
    return n;
  };
  while (axons() > axonTable) {
    int best = -1;
    uint32_t bestScore = 0;
    for (size_t i = 0; i < out.size(); ++i) {
      const AxonBlock &b = out[i];
      if (b.size == 1)
        continue;
      const AxonBlock l{b.core, b.lo, b.size / 2},
          r{b.core, b.lo + b.size / 2, b.size / 2};
      const bool free = !(used(l) && used(r));
      if (!free && out.size() >= keyTable)
        continue;
      // A split that keeps both halves saves nothing by itself, but lets
      // its halves be split; take it only when no free saving is left.
      const uint32_t score = free ? b.size / 2 : 1;
      if (score > bestScore ||
          (score == bestScore && b.size > out[size_t(best)].size))
        best = int(i), bestScore = score;
    }
    if (best < 0)
      break;
    const AxonBlock b = out[size_t(best)];
    const AxonBlock l{b.core, b.lo, b.size / 2},
        r{b.core, b.lo + b.size / 2, b.size / 2};
    out.erase(out.begin() + best);
    if (used(l))
      out.push_back(l);
    if (used(r))
      out.push_back(r);
  }
  std::sort(out.begin(), out.end(), [](const AxonBlock &a, const AxonBlock &b) {
    return std::tie(a.core, a.lo) < std::tie(b.core, b.lo);
  });
  return out;
}

} // namespace snnc::ref

#endif // SNNC_RUNTIME_REFERENCE_AXONBLOCKS_H
