//===- Place.cpp - Cores onto chips of the mesh ---------------------------===//
//
// Cores come out of partition() in population order, so neighbours in that
// order are mostly the ones that talk to each other (slices of one
// population, populations declared together). The initial placement keeps
// that order along a serpentine walk of the mesh (row 0 left to right, row
// 1 right to left, ...), coresPerChip cores per chip: consecutive cores are
// on the same chip or on adjacent chips.
//
// Then a bounded local improvement on cost = sum over core pairs of traffic
// x hops (traffic = synapses x source activity, both directions). Each core
// looks at the traffic-weighted centre of its neighbours, and tries to
// move to a free position on the chip there or to swap with a few of the
// cores on it; a move is taken only if it lowers the cost. Each try costs
// the degree of the two cores, and there are at most kPasses passes (fewer
// when a pass gains under kMinGain of the cost) with at most kCandidates
// tries per core, so the step is O(kPasses x kCandidates x edges) after the
// O(synapses) core graph.
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"
#include "mapping/Support.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace snnc::mapping {
namespace {

constexpr int kPasses = 4;
constexpr uint32_t kCandidates = 4;
constexpr double kMinGain = 0.01;
constexpr uint32_t kFree = std::numeric_limits<uint32_t>::max();

/// Chip numbers in serpentine order.
std::vector<uint32_t> serpentine(const target::Target &t) {
  std::vector<uint32_t> order;
  order.reserve(t.chips());
  for (uint32_t y = 0; y < t.meshHeight; ++y)
    for (uint32_t i = 0; i < t.meshWidth; ++i) {
      const uint32_t x = (y % 2 == 0) ? i : t.meshWidth - 1 - i;
      order.push_back(y * t.meshWidth + x);
    }
  return order;
}

/// Traffic between cores as undirected CSR: each directed edge a->b of the
/// core graph is listed under a and under b, so a core's list holds all the
/// traffic it sends and receives (a pair may appear twice, once per
/// direction). Self-edges cost no hops and are left out.
struct Adjacency {
  std::vector<uint64_t> start;
  std::vector<uint32_t> other;
  std::vector<float> traffic;
};

Adjacency undirected(const detail::CoreGraph &g, uint32_t numCores) {
  Adjacency a;
  a.start.assign(numCores + 1, 0);
  for (uint32_t c = 0; c < numCores; ++c)
    for (uint64_t k = g.start[c]; k < g.start[c + 1]; ++k)
      if (g.dst[k] != c) {
        ++a.start[c + 1];
        ++a.start[g.dst[k] + 1];
      }
  for (uint32_t c = 0; c < numCores; ++c)
    a.start[c + 1] += a.start[c];
  a.other.resize(a.start[numCores]);
  a.traffic.resize(a.start[numCores]);
  std::vector<uint64_t> fill(a.start.begin(), a.start.end() - 1);
  for (uint32_t c = 0; c < numCores; ++c)
    for (uint64_t k = g.start[c]; k < g.start[c + 1]; ++k) {
      const uint32_t d = g.dst[k];
      if (d == c)
        continue;
      a.other[fill[c]] = d;
      a.traffic[fill[c]++] = g.traffic[k];
      a.other[fill[d]] = c;
      a.traffic[fill[d]++] = g.traffic[k];
    }
  return a;
}

class Improver {
public:
  Improver(const target::Target &t, Mapping &m, const Adjacency &adj)
      : t(t), m(m), adj(adj), occupant(t.cores(), kFree), x(m.cores.size()),
        y(m.cores.size()) {
    for (uint32_t c = 0; c < m.cores.size(); ++c) {
      occupant[slotOf(c)] = c;
      setChip(c, m.cores[c].chip);
    }
  }

  void run() {
    double total = 0;
    for (uint32_t c = 0; c < m.cores.size(); ++c) {
      double here, unused;
      costs(c, m.cores[c].chip, m.cores[c].chip, kFree, here, unused, unused);
      total += here;
    }
    for (int pass = 0; pass < kPasses; ++pass) {
      gained = 0;
      for (uint32_t c = 0; c < m.cores.size(); ++c)
        improve(c);
      // A pass that gains under kMinGain of the cost will not be followed
      // by a better one: stop (in a random network nearly nothing moves).
      // `gained` counts each edge from both ends, as `total` does.
      if (gained < kMinGain * total)
        break;
      total -= gained;
    }
  }

private:
  void setChip(uint32_t c, uint32_t chip) {
    m.cores[c].chip = chip;
    x[c] = int32_t(detail::chipX(t, chip));
    y[c] = int32_t(detail::chipY(t, chip));
  }
  uint64_t slotOf(uint32_t c) const {
    return uint64_t(m.cores[c].chip) * t.coresPerChip + m.cores[c].index;
  }
  /// Traffic x hops of core c's edges if c sat on chip a, and if it sat
  /// on chip b, with the other endpoints where they are; `partner` is left
  /// out (a swap keeps its edge to c as long as it was) and its traffic
  /// with c returned in `mutual`. One pass for both chips: the loop runs
  /// over every edge a few times a pass and dominates placement.
  void costs(uint32_t c, uint32_t a, uint32_t b, uint32_t partner, double &atA,
             double &atB, double &mutual) const {
    // Coordinates are kept per core beside the chip numbers, so the loop
    // does no division.
    const int32_t ax = int32_t(detail::chipX(t, a)),
                  ay = int32_t(detail::chipY(t, a));
    const int32_t bx = int32_t(detail::chipX(t, b)),
                  by = int32_t(detail::chipY(t, b));
    double sumA = 0, sumB = 0, withPartner = 0;
    for (uint64_t k = adj.start[c]; k < adj.start[c + 1]; ++k) {
      const uint32_t o = adj.other[k];
      const double w = adj.traffic[k];
      if (o == partner) {
        withPartner += w;
        continue;
      }
      sumA += w * double(std::abs(ax - x[o]) + std::abs(ay - y[o]));
      sumB += w * double(std::abs(bx - x[o]) + std::abs(by - y[o]));
    }
    atA = sumA;
    atB = sumB;
    mutual = withPartner;
  }

  uint32_t centreChip(uint32_t c) const {
    double wx = 0, wy = 0, w = 0;
    for (uint64_t k = adj.start[c]; k < adj.start[c + 1]; ++k) {
      const uint32_t o = adj.other[k];
      wx += double(adj.traffic[k]) * x[o];
      wy += double(adj.traffic[k]) * y[o];
      w += adj.traffic[k];
    }
    if (w <= 0)
      return m.cores[c].chip;
    const uint32_t x =
        std::min<uint32_t>(uint32_t(std::lround(wx / w)), t.meshWidth - 1);
    const uint32_t y =
        std::min<uint32_t>(uint32_t(std::lround(wy / w)), t.meshHeight - 1);
    return y * t.meshWidth + x;
  }

  void improve(uint32_t c) {
    const uint32_t from = m.cores[c].chip;
    const uint32_t to = centreChip(c);
    if (to == from)
      return;
    double here, there, unused;
    costs(c, from, to, kFree, here, there, unused);
    // With the partner on `to`, c's edge to it costs nothing in `there`, so
    // c's side of any move is there - here; if that is no gain, a swap
    // would gain only on the partner's side, which its own turn finds.
    const double gain = there - here;
    if (gain >= 0)
      return;
    // Rotate the first candidate with the core number so that the cores
    // pulled towards one chip do not all try the same partner.
    uint32_t tried = 0;
    for (uint32_t i = 0; i < t.coresPerChip && tried < kCandidates; ++i) {
      const uint32_t index = (c + i) % t.coresPerChip;
      const uint64_t slot = uint64_t(to) * t.coresPerChip + index;
      const uint32_t b = occupant[slot];
      ++tried;
      double delta = gain;
      if (b != kFree) {
        double bFrom, bTo, mutual;
        costs(b, from, to, c, bFrom, bTo, mutual);
        // `here` counted the c-b edge at its full length, but a swap
        // leaves it as long as it was: add it back.
        delta += bFrom - bTo + mutual * detail::hops(t, from, to);
      }
      if (delta >= -1e-9)
        continue;
      gained -= 2 * delta;
      const uint32_t fromIndex = m.cores[c].index;
      occupant[slotOf(c)] = b;
      if (b != kFree) {
        setChip(b, from);
        m.cores[b].index = fromIndex;
      }
      setChip(c, to);
      m.cores[c].index = index;
      occupant[slot] = c;
      return;
    }
  }

  const target::Target &t;
  Mapping &m;
  const Adjacency &adj;
  std::vector<uint32_t> occupant; ///< per (chip, index) slot
  std::vector<int32_t> x, y;      ///< of each core's chip
  double gained = 0;              ///< in this pass
};

} // namespace

std::vector<Violation> place(const MapGraph &graph,
                             const target::Target &target, Mapping &mapping) {
  std::vector<Violation> violations;
  const uint64_t capacity = target.cores();
  const uint64_t needed = mapping.cores.size();
  const std::vector<uint32_t> order = serpentine(target);
  // Over capacity the cores wrap around the mesh: positions are shared,
  // but every core has a chip, so routing and the check still run.
  for (uint64_t c = 0; c < needed; ++c) {
    const uint64_t slot = c % capacity;
    mapping.cores[c].chip = order[slot / target.coresPerChip];
    mapping.cores[c].index = uint32_t(slot % target.coresPerChip);
  }
  if (needed > capacity) {
    violations.push_back(detail::makeViolation(
        "network", "cores_per_chip", capacity, needed,
        std::to_string(target.chips()) + " chips x " +
            std::to_string(target.coresPerChip) + " cores hold " +
            std::to_string(capacity) + " cores; the network needs " +
            std::to_string(needed) + ": more chips or bigger cores"));
    return violations;
  }
  const detail::CoreGraph g = detail::buildCoreGraph(graph, mapping);
  const Adjacency adj = undirected(g, uint32_t(needed));
  Improver(target, mapping, adj).run();
  return violations;
}

} // namespace snnc::mapping
