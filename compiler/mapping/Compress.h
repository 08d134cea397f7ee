//===- Compress.h - The two stages of table compression ---------*- C++ -*-===//
//
// Internal to compiler/mapping. compressTable() numbers the routes of a
// table, runs prefix aggregation (Aggregate.cpp) when every mask is a
// prefix mask, then ordered covering (Compress.cpp) on the result.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_MAPPING_COMPRESS_H
#define SNNC_COMPILER_MAPPING_COMPRESS_H

#include <cstdint>
#include <limits>
#include <vector>

namespace snnc::mapping::detail {

/// A route number standing for "matches no entry" (default routing).
constexpr uint32_t kNoRoute = std::numeric_limits<uint32_t>::max();

struct TableEntry {
  uint32_t key = 0, mask = 0;
  uint32_t route = 0;
};

/// A default-routed block: it must end up matching no entry or one whose
/// route is `straight` (kNoRoute: none will do).
struct PassingBlock {
  uint32_t key = 0, mask = 0;
  uint32_t straight = kNoRoute;
};

inline bool isPrefixMask(uint32_t mask) { return (~mask & (~mask + 1)) == 0; }

/// The smallest longest-prefix-match table (ORTC, Draves et al. 1999) that
/// routes every entry's block as `entries` do and every passing block as
/// required; key space in neither is free. `entries` are disjoint prefix
/// blocks. The result is ordered most specific first, so that first match
/// is longest-prefix match.
std::vector<TableEntry>
aggregatePrefixes(const std::vector<TableEntry> &entries,
                  const std::vector<PassingBlock> &passing);

} // namespace snnc::mapping::detail

#endif // SNNC_COMPILER_MAPPING_COMPRESS_H
