//===- Aggregate.cpp - Prefix aggregation of a routing table (ORTC) -------===//
//
// The first stage of compression. Every block route() writes is a prefix
// (a core's key block), and a table sorted most specific first routes by
// longest-prefix match, for which the smallest equivalent table has a
// known construction (ORTC: Draves, King, Venkatachary and Zill, "Constructing
// optimal IP routing tables", 1999), here on a binary trie of the key bits:
//  1. bottom up, each node gets the set of routes that could serve all of
//     its subtree with one entry: at a leaf its own route; at a node the
//     intersection of its children's sets if it is not empty, otherwise
//     their union. Key space no packet uses is free (a missing child
//     constrains nothing).
//  2. top down, a node whose set holds the route it inherits needs no
//     entry; otherwise it gets an entry with a route of its set.
// A block that passes by default routing is a leaf whose set is {no entry,
// an entry sending it straight on}: it may fall through, or be matched by an
// entry that does what default routing would. A block that must match
// nothing at all makes its node and all above it {no entry}: an entry there
// would cover it.
//
// Step 2 is correct for any sets (a leaf can always emit its own route, or
// has no entry above it), so the unions are capped at kMaxSet routes to
// bound the work; that can only cost optimality. O(blocks x 32 x kMaxSet).
//
//===----------------------------------------------------------------------===//
#include "mapping/Compress.h"

#include <algorithm>
#include <bit>
#include <iterator>

namespace snnc::mapping::detail {
namespace {

constexpr size_t kMaxSet = 16;

struct Node {
  int32_t child[2] = {-1, -1};
  uint32_t setBegin = 0, setEnd = 0; ///< in the pool, sorted
  /// Holds a block that must match no entry: no entry may be written here
  /// or above, since it would cover that block.
  bool empty = false;
};

class Trie {
public:
  void insert(uint32_t key, uint32_t mask, std::initializer_list<uint32_t> set);
  std::vector<TableEntry> aggregate();

private:
  void computeSets(int32_t v);
  void emit(int32_t v, uint32_t depth, uint32_t key, uint32_t inherited);
  bool contains(const Node &n, uint32_t route) const {
    return std::binary_search(pool.begin() + n.setBegin,
                              pool.begin() + n.setEnd, route);
  }

  std::vector<Node> nodes{Node()};
  std::vector<uint32_t> pool;
  std::vector<uint32_t> scratch;
  std::vector<TableEntry> out;
};

void Trie::insert(uint32_t key, uint32_t mask,
                  std::initializer_list<uint32_t> set) {
  const int length = std::popcount(mask);
  int32_t v = 0;
  for (int d = 0; d < length; ++d) {
    const int bit = (key >> (31 - d)) & 1;
    if (nodes[v].child[bit] < 0) {
      nodes[v].child[bit] = int32_t(nodes.size());
      nodes.emplace_back();
    }
    v = nodes[v].child[bit];
  }
  nodes[v].setBegin = uint32_t(pool.size());
  pool.insert(pool.end(), set.begin(), set.end());
  std::sort(pool.begin() + nodes[v].setBegin, pool.end());
  nodes[v].setEnd = uint32_t(pool.size());
  nodes[v].empty = set.size() == 1 && *set.begin() == kNoRoute;
}

void Trie::computeSets(int32_t v) {
  const int32_t c0 = nodes[v].child[0], c1 = nodes[v].child[1];
  if (c0 < 0 && c1 < 0)
    return; // a leaf: its set was given
  if (c0 >= 0)
    computeSets(c0);
  if (c1 >= 0)
    computeSets(c1);
  if ((c0 >= 0 && nodes[c0].empty) || (c1 >= 0 && nodes[c1].empty)) {
    nodes[v].empty = true;
    nodes[v].setBegin = uint32_t(pool.size());
    pool.push_back(kNoRoute);
    nodes[v].setEnd = uint32_t(pool.size());
    return;
  }
  if (c0 < 0 || c1 < 0) {
    // The missing half is free space: the present child decides.
    const Node &only = nodes[c0 >= 0 ? c0 : c1];
    nodes[v].setBegin = only.setBegin;
    nodes[v].setEnd = only.setEnd;
    return;
  }
  const Node &a = nodes[c0], &b = nodes[c1];
  scratch.clear();
  std::set_intersection(pool.begin() + a.setBegin, pool.begin() + a.setEnd,
                        pool.begin() + b.setBegin, pool.begin() + b.setEnd,
                        std::back_inserter(scratch));
  if (scratch.empty())
    std::set_union(pool.begin() + a.setBegin, pool.begin() + a.setEnd,
                   pool.begin() + b.setBegin, pool.begin() + b.setEnd,
                   std::back_inserter(scratch));
  if (scratch.size() > kMaxSet)
    scratch.resize(kMaxSet);
  nodes[v].setBegin = uint32_t(pool.size());
  pool.insert(pool.end(), scratch.begin(), scratch.end());
  nodes[v].setEnd = uint32_t(pool.size());
}

void Trie::emit(int32_t v, uint32_t depth, uint32_t key, uint32_t inherited) {
  const Node &n = nodes[v];
  uint32_t route = inherited;
  if (!contains(n, inherited)) {
    // Any route of the set will do; "no entry" cannot be written, so a
    // node whose set is only that leaves the work to its children.
    for (uint32_t i = n.setBegin; i < n.setEnd; ++i)
      if (pool[i] != kNoRoute) {
        route = pool[i];
        const uint32_t mask = depth == 0 ? 0 : ~0u << (32 - depth);
        out.push_back(TableEntry{key, mask, route});
        break;
      }
  }
  for (int bit = 0; bit < 2; ++bit)
    if (n.child[bit] >= 0)
      emit(n.child[bit], depth + 1, key | (uint32_t(bit) << (31 - depth)),
           route);
}

std::vector<TableEntry> Trie::aggregate() {
  computeSets(0);
  emit(0, 0, 0, kNoRoute);
  // Longer prefixes first: first match is then longest-prefix match.
  std::stable_sort(
      out.begin(), out.end(), [](const TableEntry &a, const TableEntry &b) {
        const int la = std::popcount(a.mask), lb = std::popcount(b.mask);
        return la != lb ? la > lb : a.key < b.key;
      });
  return std::move(out);
}

} // namespace

std::vector<TableEntry>
aggregatePrefixes(const std::vector<TableEntry> &entries,
                  const std::vector<PassingBlock> &passing) {
  Trie trie;
  for (const TableEntry &e : entries)
    trie.insert(e.key & e.mask, e.mask, {e.route});
  for (const PassingBlock &p : passing)
    if (p.straight == kNoRoute)
      trie.insert(p.key & p.mask, p.mask, {kNoRoute});
    else
      trie.insert(p.key & p.mask, p.mask, {p.straight, kNoRoute});
  return trie.aggregate();
}

} // namespace snnc::mapping::detail
