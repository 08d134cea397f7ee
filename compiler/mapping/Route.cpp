//===- Route.cpp - Keys, multicast trees and routing tables ---------------===//
//
// Keys: cores in chip order (chip number, then position on the chip) get
// consecutive key blocks, each aligned to its size, the power of two at
// least the core's neuron count; neuron j of the core sends key | j. Chip
// order makes the cores of one mesh row, and of all rows below a router,
// one contiguous key range, which is what lets ordered covering fold the
// many entries of a router into a few.
//
// Trees: a spike of core c goes to every chip holding one of the cores its
// synapses end on, along dimension-order paths (x first, then y) on the
// mesh. The union of those paths runs along the source row from the
// leftmost to the rightmost target column, and up and down each target
// column to its extreme target rows, so it is written from per-column
// extremes in O(targets + tree routers) without walking the paths one by
// one.
//
// Entries: one per router on the tree, (core key, mask) -> links out +
// local cores, except where default routing does the same: the packet came
// in over a link, leaves on the opposite link only, and reaches no core
// here. Those routers remember the block as passing through, so
// compression never captures it. Then each table is compressed
// (Compress.cpp).
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"
#include "mapping/Support.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace snnc::mapping {
namespace {

enum Link : uint32_t { PosX = 0, PosY = 1, NegX = 2, NegY = 3 };
constexpr uint32_t kSource = 4; ///< arrival "direction" at the source chip
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kKeySpace = uint64_t(1) << 32;

uint64_t blockFor(uint32_t neurons) {
  uint64_t b = 1;
  while (b < neurons)
    b <<= 1;
  return b;
}

/// Allocates keys; a violation when the blocks do not fit in 32 bits (the
/// keys then wrap and collide, so that the later steps still run).
void allocateKeys(Mapping &mapping, std::vector<Violation> &violations) {
  std::vector<uint32_t> order(mapping.cores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Core &ca = mapping.cores[a], &cb = mapping.cores[b];
    return ca.chip != cb.chip ? ca.chip < cb.chip : ca.index < cb.index;
  });
  uint64_t cursor = 0;
  for (uint32_t c : order) {
    Core &core = mapping.cores[c];
    const uint64_t block = blockFor(core.neurons);
    cursor = (cursor + block - 1) / block * block;
    core.key = uint32_t(cursor % kKeySpace);
    core.mask = uint32_t(~(block - 1));
    cursor += block;
  }
  if (cursor > kKeySpace)
    violations.push_back(detail::makeViolation(
        "network", "routing_keys", kKeySpace, cursor,
        "the cores' key blocks (each a power of two >= its neurons) need "
        "that many 32-bit keys"));
}

class TreeBuilder {
public:
  TreeBuilder(const target::Target &t, Mapping &m,
              std::vector<std::vector<KeyBlock>> &passing)
      : t(t), m(m), passing(passing), chipCores(t.chips()),
        colMin(t.meshWidth, kNone), colMax(t.meshWidth, 0) {}

  /// Writes the entries of core c's tree to the destinations dst.
  void build(uint32_t c, const uint32_t *dst, size_t count);

private:
  void emit(uint32_t chip, uint32_t arrival, uint32_t links);

  const target::Target &t;
  Mapping &m;
  std::vector<std::vector<KeyBlock>> &passing;
  /// Cores reached on each chip (positions, in the order found).
  std::vector<std::vector<uint32_t>> chipCores;
  std::vector<uint32_t> colMin, colMax;
  std::vector<uint32_t> chipsTouched, colsTouched;
  uint32_t source = 0;
  uint32_t routers = 0;
};

void TreeBuilder::emit(uint32_t chip, uint32_t arrival, uint32_t links) {
  ++routers;
  const Core &core = m.cores[source];
  std::vector<uint32_t> &local = chipCores[chip];
  if (arrival != kSource && local.empty() && links == (1u << arrival)) {
    passing[chip].push_back(KeyBlock{core.key, core.mask, links});
    return;
  }
  std::sort(local.begin(), local.end());
  local.erase(std::unique(local.begin(), local.end()), local.end());
  m.routers[chip].entries.push_back(
      RouteEntry{core.key, core.mask, links, local});
}

void TreeBuilder::build(uint32_t c, const uint32_t *dst, size_t count) {
  source = c;
  routers = 0;
  const uint32_t sChip = m.cores[c].chip;
  const uint32_t sx = detail::chipX(t, sChip), sy = detail::chipY(t, sChip);
  uint32_t xMin = sx, xMax = sx;
  for (size_t k = 0; k < count; ++k) {
    const Core &d = m.cores[dst[k]];
    if (chipCores[d.chip].empty())
      chipsTouched.push_back(d.chip);
    chipCores[d.chip].push_back(d.index);
    const uint32_t x = detail::chipX(t, d.chip), y = detail::chipY(t, d.chip);
    if (colMin[x] == kNone)
      colsTouched.push_back(x);
    colMin[x] = std::min(colMin[x], y);
    colMax[x] = std::max(colMax[x], y);
    xMin = std::min(xMin, x);
    xMax = std::max(xMax, x);
  }
  // The source row, from xMin to xMax.
  for (uint32_t x = xMin; x <= xMax; ++x) {
    uint32_t links = 0;
    if (x >= sx && x < xMax)
      links |= 1u << PosX;
    if (x <= sx && x > xMin)
      links |= 1u << NegX;
    if (colMin[x] != kNone && colMax[x] > sy)
      links |= 1u << PosY;
    if (colMin[x] != kNone && colMin[x] < sy)
      links |= 1u << NegY;
    const uint32_t arrival = x == sx ? kSource : (x > sx ? PosX : NegX);
    emit(sy * t.meshWidth + x, arrival, links);
  }
  // Up and down each target column.
  for (uint32_t x : colsTouched) {
    for (uint32_t y = sy + 1; y <= colMax[x]; ++y)
      emit(y * t.meshWidth + x, PosY, y < colMax[x] ? 1u << PosY : 0);
    for (uint32_t y = sy; y > colMin[x]; --y)
      emit((y - 1) * t.meshWidth + x, NegY, y - 1 > colMin[x] ? 1u << NegY : 0);
  }
  m.cores[c].treeRouters = routers;
  for (uint32_t chip : chipsTouched)
    chipCores[chip].clear();
  for (uint32_t x : colsTouched) {
    colMin[x] = kNone;
    colMax[x] = 0;
  }
  chipsTouched.clear();
  colsTouched.clear();
}

} // namespace

std::vector<Violation> route(const MapGraph &graph,
                             const target::Target &target, Mapping &mapping,
                             const RouteOptions &options) {
  std::vector<Violation> violations;
  mapping.routers.assign(target.chips(), Router());
  for (uint32_t chip = 0; chip < target.chips(); ++chip)
    mapping.routers[chip].chip = chip;
  for (Core &core : mapping.cores) {
    core.fanOut = 0;
    core.treeRouters = 0;
  }
  allocateKeys(mapping, violations);

  const detail::CoreGraph g = detail::buildCoreGraph(graph, mapping);
  std::vector<std::vector<KeyBlock>> passing(target.chips());
  TreeBuilder trees(target, mapping, passing);
  for (uint32_t c = 0; c < mapping.cores.size(); ++c) {
    const uint64_t count = g.start[c + 1] - g.start[c];
    mapping.cores[c].fanOut = uint32_t(count);
    if (count)
      trees.build(c, g.dst.data() + g.start[c], count);
  }
  for (Router &r : mapping.routers) {
    r.entriesBeforeCompression = uint32_t(r.entries.size());
    if (options.compress)
      compressTable(r.entries, passing[r.chip]);
  }
  return violations;
}

std::vector<Violation> route(const MapGraph &graph,
                             const target::Target &target, Mapping &mapping) {
  return route(graph, target, mapping, RouteOptions());
}

} // namespace snnc::mapping
