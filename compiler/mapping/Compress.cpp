//===- Compress.cpp - Routing-table minimisation by ordered covering ------===//
//
// compressTable() numbers the routes, runs prefix aggregation
// (Aggregate.cpp) when every block is a prefix, and then ordered covering,
// below, on what that left.
//
// Ordered covering is the idea of Mundy, Heathcote and Garside ("On-chip
// order-exploiting routing table minimization for a multicast supercomputer
// network", 2016): a router uses the first entry that matches, so an entry
// may cover keys that belong to other routes as long as those routes'
// entries come before it. The table is kept sorted by generality (the
// number of don't-care bits, X), most specific first; the merge of entries
// with one route is the key/mask that keeps the bits all of them agree on,
// and it goes after every entry of its generality or less. Unlike a prefix,
// it may leave bits in the middle free.
//
// A merge is valid when every packet that reaches the router keeps its
// route. The packets that reach it are those of the entries' blocks and
// the blocks that pass through by default routing (`passing`; those may
// also be matched by an entry that sends them straight on). Three things
// can go wrong, and each is repaired by shrinking the merge:
//  - it covers an entry of another route placed after it, or a passing
//    block: pick a bit that is X in the merge but fixed in the offender,
//    keep the members whose value there differs from the offender's (the
//    bit that keeps most of them), and try again;
//  - a member's keys would now meet, before the merge, an entry of another
//    route that used to come after that member: drop that member.
// The members that remain merge when two or more are left.
//
// Each sweep tries every route once, most entries first, and applies a
// merge as soon as it is found (the original picks the best merge over all
// routes each time, which costs a factor of the number of routes). Sweeps
// repeat until one merges nothing, at most kMaxSweeps. A round of a trial
// costs O(entries + passing blocks) and removes at least one member. The
// blocks route() writes are disjoint, which the last test uses to skip
// pairs of them when the table was not aggregated first.
//
//===----------------------------------------------------------------------===//
#include "mapping/Compress.h"
#include "mapping/Mapping.h"

#include <algorithm>
#include <bit>
#include <map>

namespace snnc::mapping {
namespace {

constexpr int kMaxSweeps = 32;

struct Entry {
  uint32_t key = 0, mask = 0;
  uint32_t route = 0;
  uint32_t generality = 0; ///< don't-care bits
  /// Written by route(): original entries are disjoint from one another.
  bool original = true;
};

inline bool intersects(uint32_t k1, uint32_t m1, uint32_t k2, uint32_t m2) {
  return ((k1 ^ k2) & m1 & m2) == 0;
}
inline uint32_t generalityOf(uint32_t mask) {
  return uint32_t(32 - std::popcount(mask));
}

class Minimiser {
public:
  Minimiser(std::vector<Entry> table,
            const std::vector<detail::PassingBlock> &passing)
      : table(std::move(table)), passing(passing) {}

  void run();
  const std::vector<Entry> &result() const { return table; }

private:
  bool refine(uint32_t route, uint32_t &key, uint32_t &mask);
  void apply(uint32_t route, uint32_t key, uint32_t mask);
  bool keepOnly(const std::vector<size_t> &kept);

  std::vector<Entry> table; ///< sorted by generality
  const std::vector<detail::PassingBlock> &passing;
  std::vector<size_t> members; ///< table positions, ascending
  std::vector<char> inMerge;   ///< by table position
};

void Minimiser::run() {
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    std::map<uint32_t, uint32_t> count;
    for (const Entry &e : table)
      ++count[e.route];
    std::vector<std::pair<uint32_t, uint32_t>> order; // (count, route)
    for (const auto &[route, n] : count)
      if (n >= 2)
        order.emplace_back(n, route);
    std::stable_sort(
        order.begin(), order.end(),
        [](const auto &a, const auto &b) { return a.first > b.first; });
    bool merged = false;
    for (const auto &[n, route] : order) {
      (void)n;
      uint32_t key = 0, mask = 0;
      if (refine(route, key, mask)) {
        apply(route, key, mask);
        merged = true;
      }
    }
    if (!merged)
      return;
  }
}

bool Minimiser::keepOnly(const std::vector<size_t> &kept) {
  for (size_t pos : members)
    inMerge[pos] = 0;
  members = kept;
  for (size_t pos : members)
    inMerge[pos] = 1;
  return members.size() >= 2;
}

bool Minimiser::refine(uint32_t route, uint32_t &key, uint32_t &mask) {
  members.clear();
  inMerge.assign(table.size(), 0);
  for (size_t pos = 0; pos < table.size(); ++pos)
    if (table[pos].route == route) {
      members.push_back(pos);
      inMerge[pos] = 1;
    }
  std::vector<size_t> kept;
  while (members.size() >= 2) {
    // The covering: the bits every member fixes to the same value.
    uint32_t fixed = ~0u, differ = 0;
    const uint32_t key0 = table[members[0]].key;
    for (size_t pos : members) {
      fixed &= table[pos].mask;
      differ |= table[pos].key ^ key0;
    }
    mask = fixed & ~differ;
    key = key0 & mask;
    const uint32_t generality = generalityOf(mask);
    // The merge goes after every entry of its generality or less.
    const size_t at =
        size_t(std::upper_bound(table.begin(), table.end(), generality,
                                [](uint32_t g, const Entry &e) {
                                  return g < e.generality;
                                }) -
               table.begin());

    // An entry of another route after the merge, or a passing block, that
    // the merge would capture.
    bool blocked = false;
    uint32_t bKey = 0, bMask = 0;
    for (size_t pos = at; pos < table.size() && !blocked; ++pos) {
      const Entry &e = table[pos];
      if (e.route != route && intersects(key, mask, e.key, e.mask)) {
        blocked = true;
        bKey = e.key;
        bMask = e.mask;
      }
    }
    for (size_t i = 0; i < passing.size() && !blocked; ++i)
      if (passing[i].straight != route &&
          intersects(key, mask, passing[i].key, passing[i].mask)) {
        blocked = true;
        bKey = passing[i].key;
        bMask = passing[i].mask;
      }
    if (blocked) {
      // Fix one more bit of the merge, to the opposite of the offender's,
      // choosing the bit that keeps the most members.
      const uint32_t candidates = ~mask & bMask;
      size_t bestCount = 0;
      int bestBit = -1;
      for (int bit = 31; bit >= 0; --bit) {
        if (!(candidates >> bit & 1))
          continue;
        size_t n = 0;
        for (size_t pos : members)
          n += (table[pos].mask >> bit & 1) &&
               ((table[pos].key ^ bKey) >> bit & 1);
        if (n > bestCount) {
          bestCount = n;
          bestBit = bit;
        }
      }
      if (bestBit < 0 || bestCount < 2)
        return false;
      kept.clear();
      for (size_t pos : members)
        if ((table[pos].mask >> bestBit & 1) &&
            ((table[pos].key ^ bKey) >> bestBit & 1))
          kept.push_back(pos);
      if (!keepOnly(kept))
        return false;
      continue;
    }

    // Members whose packets an entry of another route would now take: one
    // that used to come after the member and will come before the merge.
    std::vector<size_t> mergedMembers;
    for (size_t pos : members)
      if (!table[pos].original)
        mergedMembers.push_back(pos);
    std::vector<char> drop(table.size(), 0);
    bool anyDrop = false;
    for (size_t pos = members[0] + 1; pos < at; ++pos) {
      const Entry &e = table[pos];
      if (inMerge[pos] || e.route == route ||
          !intersects(key, mask, e.key, e.mask))
        continue;
      // Two original entries never overlap: only pairs with a merged
      // entry on either side need the test.
      const std::vector<size_t> &against = e.original ? mergedMembers : members;
      for (size_t m : against) {
        if (m >= pos)
          break;
        if (intersects(e.key, e.mask, table[m].key, table[m].mask)) {
          drop[m] = 1;
          anyDrop = true;
        }
      }
    }
    if (anyDrop) {
      kept.clear();
      for (size_t pos : members)
        if (!drop[pos])
          kept.push_back(pos);
      if (!keepOnly(kept))
        return false;
      continue;
    }
    return true;
  }
  return false;
}

void Minimiser::apply(uint32_t route, uint32_t key, uint32_t mask) {
  Entry merged;
  merged.key = key;
  merged.mask = mask;
  merged.route = route;
  merged.generality = generalityOf(mask);
  merged.original = false;
  std::vector<Entry> next;
  next.reserve(table.size() - members.size() + 1);
  bool placed = false;
  for (size_t pos = 0; pos < table.size(); ++pos) {
    if (!placed && table[pos].generality > merged.generality) {
      next.push_back(merged);
      placed = true;
    }
    if (!inMerge[pos])
      next.push_back(table[pos]);
  }
  if (!placed)
    next.push_back(merged);
  table = std::move(next);
}

} // namespace

void compressTable(std::vector<RouteEntry> &entries,
                   const std::vector<KeyBlock> &passing) {
  if (entries.size() < 2)
    return;
  // Routes by number, in first-seen order; a passing block's straight-on
  // route is one too (an entry may do what default routing does).
  using Route = std::pair<uint32_t, std::vector<uint32_t>>;
  std::map<Route, uint32_t> routeIds;
  std::vector<Route> routes;
  auto idOf = [&](uint32_t links, const std::vector<uint32_t> &cores) {
    auto [it, fresh] =
        routeIds.try_emplace({links, cores}, uint32_t(routes.size()));
    if (fresh)
      routes.push_back({links, cores});
    return it->second;
  };
  std::vector<detail::TableEntry> written;
  written.reserve(entries.size());
  bool prefixes = true;
  for (const RouteEntry &r : entries) {
    written.push_back({r.key, r.mask, idOf(r.links, r.cores)});
    prefixes = prefixes && detail::isPrefixMask(r.mask);
  }
  std::vector<detail::PassingBlock> blocks;
  blocks.reserve(passing.size());
  for (const KeyBlock &b : passing) {
    blocks.push_back({b.key, b.mask, detail::kNoRoute});
    if (b.links)
      blocks.back().straight = idOf(b.links, {});
    prefixes = prefixes && detail::isPrefixMask(b.mask);
  }

  // Stage 1 where it applies, kept only if it helps (its set cap can make
  // it miss the optimum, in theory even above the input).
  std::vector<Entry> table;
  bool aggregated = false;
  if (prefixes) {
    std::vector<detail::TableEntry> agg =
        detail::aggregatePrefixes(written, blocks);
    if (agg.size() <= written.size()) {
      aggregated = true;
      written = std::move(agg);
    }
  }
  table.reserve(written.size());
  for (const detail::TableEntry &w : written) {
    Entry e;
    e.key = w.key;
    e.mask = w.mask;
    e.route = w.route;
    e.generality = generalityOf(w.mask);
    // Aggregated entries nest; only route()'s own blocks are disjoint.
    e.original = !aggregated;
    table.push_back(e);
  }
  std::stable_sort(
      table.begin(), table.end(), [](const Entry &a, const Entry &b) {
        return a.generality != b.generality ? a.generality < b.generality
                                            : a.key < b.key;
      });
  Minimiser minimiser(std::move(table), blocks);
  minimiser.run();
  entries.clear();
  for (const Entry &e : minimiser.result())
    entries.push_back(RouteEntry{e.key, e.mask, routes[e.route].first,
                                 routes[e.route].second});
}

} // namespace snnc::mapping
