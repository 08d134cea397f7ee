//===- ProceduralRules.cpp - Which pairs each rule connects ---------------===//
//
// Each rule decides its synapses from counters that name what is drawn (a
// row, a target, the k-th pair), so the work can be split any way among
// threads and the outcome stays the same; docs/procedural.md gives the
// counters and the order of every draw.
//
//===----------------------------------------------------------------------===//
#include "ProceduralInternal.h"

#include <cmath>
#include <functional>

namespace snnc::procedural::detail {

namespace {
using ref::PhiloxKey;
using ref::PhiloxStream;

using ref::logOneMinus;

/// Calls sink(target) for each target of `row` in ascending order
/// (ref::ProbabilityRow, which the CUDA backend runs on the device too).
template <typename Sink>
void probabilityRow(const ConnectSpec &s, PhiloxKey key, double logQ,
                    uint32_t row, Sink &&sink) {
  ref::ProbabilityRow gen(key, row, targetsPerRow(s), s.p, logQ,
                          excludesAutapses(s));
  uint32_t t;
  while (gen.next(t))
    sink(t);
}

/// Per-thread state of Floyd's sampling without replacement.
struct FloydScratch {
  std::vector<uint64_t> taken; // bitmap over candidate sources
  std::vector<uint32_t> chosen;
};

/// Calls sink(neuron) for each of the n partners that neuron `self` draws
/// from its m candidates (in draw order, not sorted): the sources of a
/// target (FixedInDegree) or the targets of a source (FixedOutDegree).
template <typename Sink>
void partnersOf(const ConnectSpec &s, PhiloxKey key, uint32_t self, uint32_t m,
                FloydScratch &scratch, Sink &&sink) {
  bool exclude = excludesAutapses(s);
  PhiloxStream st(key, self, 0, ref::kStreamProceduralConnect);
  if (s.allowMultapses) {
    for (uint64_t q = 0; q < s.n; ++q)
      sink(skipSelf(ref::uniformBelow(st, m), self, exclude));
    return;
  }
  // Floyd: for k = m-n .. m-1 draw t in [0, k]; take t, or k if t is taken.
  // n draws give a uniform n-subset.
  uint32_t count = 0;
  for (uint64_t k = m - s.n; k < m; ++k) {
    uint64_t t = ref::uniformBelow(st, k + 1);
    uint64_t pick = (scratch.taken[t >> 6] >> (t & 63)) & 1 ? k : t;
    scratch.taken[pick >> 6] |= uint64_t(1) << (pick & 63);
    scratch.chosen[count++] = uint32_t(pick);
  }
  for (uint32_t q = 0; q < count; ++q) {
    uint32_t c = scratch.chosen[q];
    scratch.taken[c >> 6] = 0;
    sink(skipSelf(c, self, exclude));
  }
}

/// One scratch per chunk, sized for m candidates (none with multapses).
std::vector<FloydScratch> floydScratch(const ConnectSpec &s, unsigned chunks,
                                       uint32_t m) {
  std::vector<FloydScratch> scratch(chunks);
  if (!s.allowMultapses)
    for (FloydScratch &f : scratch) {
      f.taken.assign((uint64_t(m) + 63) / 64, 0);
      f.chosen.resize(s.n);
    }
  return scratch;
}

Status buildAllToAll(const ConnectSpec &s, unsigned threads, uint64_t budget,
                     Synapses &out) {
  uint64_t m = targetsPerRow(s), total = uint64_t(s.nPre) * m;
  if (Status st = checkBudget(s, total, budget); !st)
    return st;
  bool exclude = excludesAutapses(s);
  out.rowStart.resize(uint64_t(s.nPre) + 1);
  for (uint64_t i = 0; i <= s.nPre; ++i)
    out.rowStart[i] = uint32_t(i * m);
  out.targets.resize(total);
  parallelFor(threads, s.nPre, [&](uint64_t b, uint64_t e, unsigned) {
    for (uint64_t i = b; i < e; ++i)
      for (uint64_t c = 0; c < m; ++c)
        out.targets[i * m + c] = skipSelf(c, uint32_t(i), exclude);
  });
  return Status::ok();
}

Status buildOneToOne(const ConnectSpec &s, uint64_t budget, Synapses &out) {
  if (Status st = checkBudget(s, s.nPre, budget); !st)
    return st;
  out.rowStart.resize(uint64_t(s.nPre) + 1);
  out.targets.resize(s.nPre);
  for (uint64_t i = 0; i <= s.nPre; ++i)
    out.rowStart[i] = uint32_t(i);
  for (uint64_t i = 0; i < s.nPre; ++i)
    out.targets[i] = uint32_t(i);
  return Status::ok();
}

Status buildFixedProbability(const ConnectSpec &s, unsigned threads,
                             uint64_t budget, Synapses &out) {
  // The row offsets are needed to count; refuse first if they alone exceed
  // the budget.
  if (Status st = checkBudget(s, 0, budget, true); !st)
    return st;
  out.rowStart.assign(uint64_t(s.nPre) + 1, 0);
  countFixedProbability(s, threads, out.rowStart.data() + 1);
  uint64_t total = 0;
  for (uint64_t i = 1; i <= s.nPre; ++i)
    total += out.rowStart[i];
  if (Status st = checkBudget(s, total, budget); !st)
    return st;
  for (uint64_t i = 1; i <= s.nPre; ++i)
    out.rowStart[i] += out.rowStart[i - 1];
  out.targets.resize(total);
  PhiloxKey key = ref::philoxKey(s.seed);
  double logQ = s.p > 0 && s.p < 1 ? logOneMinus(s.p) : 0;
  parallelRows(threads, out.rowStart, [&](uint64_t rb, uint64_t re) {
    for (uint64_t i = rb; i < re; ++i) {
      uint32_t at = out.rowStart[i];
      probabilityRow(s, key, logQ, uint32_t(i),
                     [&](uint32_t t) { out.targets[at++] = t; });
    }
  });
  return Status::ok();
}

/// Selection happens per target but rows are per source: each thread
/// counts its targets' sources, the counts give every thread its own
/// cursor in every row, and a second identical pass scatters. Threads own
/// ascending target ranges, so each row comes out ascending.
Status buildFixedInDegree(const ConnectSpec &s, unsigned threads,
                          uint64_t budget, Synapses &out) {
  uint64_t total = s.n * s.nPost;
  if (Status st = checkBudget(s, total, budget); !st)
    return st;
  PhiloxKey key = ref::philoxKey(s.seed);
  uint32_t m = sourcesPerTarget(s);
  unsigned t = unsigned(
      std::max<uint64_t>(1, std::min<uint64_t>(threads, s.n ? s.nPost : 1)));
  std::vector<std::vector<uint32_t>> cursor(t,
                                            std::vector<uint32_t>(s.nPre, 0));
  std::vector<FloydScratch> scratch = floydScratch(s, t, m);
  parallelFor(t, s.nPost, [&](uint64_t b, uint64_t e, unsigned k) {
    std::vector<uint32_t> &count = cursor[k];
    for (uint64_t j = b; j < e; ++j)
      partnersOf(s, key, uint32_t(j), m, scratch[k],
                 [&](uint32_t src) { ++count[src]; });
  });
  out.rowStart.resize(uint64_t(s.nPre) + 1);
  uint64_t offset = 0;
  for (uint64_t i = 0; i < s.nPre; ++i) {
    out.rowStart[i] = uint32_t(offset);
    for (unsigned k = 0; k < t; ++k) {
      uint32_t c = cursor[k][i];
      cursor[k][i] = uint32_t(offset);
      offset += c;
    }
  }
  out.rowStart[s.nPre] = uint32_t(offset);
  out.targets.resize(total);
  parallelFor(t, s.nPost, [&](uint64_t b, uint64_t e, unsigned k) {
    std::vector<uint32_t> &at = cursor[k];
    for (uint64_t j = b; j < e; ++j)
      partnersOf(s, key, uint32_t(j), m, scratch[k],
                 [&](uint32_t src) { out.targets[at[src]++] = uint32_t(j); });
  });
  return Status::ok();
}

/// Rows are drawn where they are stored: each source's n targets, sorted.
Status buildFixedOutDegree(const ConnectSpec &s, unsigned threads,
                           uint64_t budget, Synapses &out) {
  uint64_t total = s.n * s.nPre;
  if (Status st = checkBudget(s, total, budget); !st)
    return st;
  PhiloxKey key = ref::philoxKey(s.seed);
  uint32_t m = targetsPerRow(s);
  unsigned t = unsigned(
      std::max<uint64_t>(1, std::min<uint64_t>(threads, s.n ? s.nPre : 1)));
  std::vector<FloydScratch> scratch = floydScratch(s, t, m);
  out.rowStart.resize(uint64_t(s.nPre) + 1);
  for (uint64_t i = 0; i <= s.nPre; ++i)
    out.rowStart[i] = uint32_t(i * s.n);
  out.targets.resize(total);
  parallelFor(t, s.nPre, [&](uint64_t b, uint64_t e, unsigned k) {
    for (uint64_t i = b; i < e; ++i) {
      uint32_t *row = out.targets.data() + i * s.n, c = 0;
      partnersOf(s, key, uint32_t(i), m, scratch[k],
                 [&](uint32_t tg) { row[c++] = tg; });
      std::sort(row, row + s.n);
    }
  });
  return Status::ok();
}

/// Pair k of the fixed-total-number sequence: a uniform index in [0, pairs)
/// = row * targetsPerRow + candidate.
uint64_t drawPair(PhiloxKey key, uint64_t k, uint64_t pairs) {
  PhiloxStream st(key, uint32_t(k), uint32_t(k >> 32),
                  ref::kStreamProceduralConnect);
  return ref::uniformBelow(st, pairs);
}

/// The first d distinct values of the pair sequence, ascending. Draws in
/// rounds until d distinct values are seen, keeping each value's first
/// index; the d values first seen earliest are the answer, whatever the
/// round sizes were.
std::vector<uint64_t> firstDistinct(PhiloxKey key, uint64_t pairs, uint64_t d,
                                    unsigned threads) {
  struct Draw {
    uint64_t value, index;
  };
  auto less = [](const Draw &a, const Draw &b) {
    return a.value < b.value || (a.value == b.value && a.index < b.index);
  };
  auto same = [](const Draw &a, const Draw &b) { return a.value == b.value; };
  std::vector<uint64_t> result;
  if (d == 0)
    return result;
  // Expected draws for d distinct of `pairs`: pairs * ln(pairs/(pairs-d)).
  // Only the round sizes depend on this estimate, never the result.
  double expect = -double(pairs) * std::log1p(-double(d) / double(pairs));
  uint64_t drawn = 0, next = uint64_t(expect + 4 * std::sqrt(expect)) + 64;
  std::vector<Draw> kept;
  while (kept.size() < d) {
    uint64_t count = next - drawn;
    std::vector<Draw> fresh(count);
    parallelFor(threads, count, [&](uint64_t b, uint64_t e, unsigned) {
      for (uint64_t c = b; c < e; ++c)
        fresh[c] = {drawPair(key, drawn + c, pairs), drawn + c};
    });
    parallelSort(fresh, threads, less);
    fresh.erase(std::unique(fresh.begin(), fresh.end(), same), fresh.end());
    std::vector<Draw> merged;
    merged.reserve(kept.size() + fresh.size());
    // Earlier rounds hold smaller indices, so unique() keeps first sightings.
    std::merge(kept.begin(), kept.end(), fresh.begin(), fresh.end(),
               std::back_inserter(merged), less);
    merged.erase(std::unique(merged.begin(), merged.end(), same), merged.end());
    kept.swap(merged);
    drawn = next;
    uint64_t missing = d - std::min<uint64_t>(d, kept.size());
    double rate = double(pairs - kept.size()) / double(pairs);
    next = drawn + uint64_t(double(missing) / rate * 1.1) + 1024;
  }
  std::vector<uint64_t> firstSeen(kept.size());
  for (uint64_t c = 0; c < kept.size(); ++c)
    firstSeen[c] = kept[c].index;
  std::nth_element(firstSeen.begin(), firstSeen.begin() + (d - 1),
                   firstSeen.end());
  uint64_t last = firstSeen[d - 1];
  result.reserve(d);
  for (const Draw &dr : kept)
    if (dr.index <= last)
      result.push_back(dr.value);
  return result;
}

/// CSR from ascending pair indices (row-major over candidates).
void pairsToCsr(const ConnectSpec &s, const std::vector<uint64_t> &pairs,
                unsigned threads, Synapses &out) {
  uint64_t m = targetsPerRow(s);
  bool exclude = excludesAutapses(s);
  out.rowStart.resize(uint64_t(s.nPre) + 1);
  parallelFor(
      threads, uint64_t(s.nPre) + 1, [&](uint64_t b, uint64_t e, unsigned) {
        for (uint64_t i = b; i < e; ++i)
          out.rowStart[i] =
              uint32_t(std::lower_bound(pairs.begin(), pairs.end(), i * m) -
                       pairs.begin());
      });
  out.targets.resize(pairs.size());
  parallelFor(threads, pairs.size(), [&](uint64_t b, uint64_t e, unsigned) {
    for (uint64_t c = b; c < e; ++c)
      out.targets[c] = skipSelf(pairs[c] % m, uint32_t(pairs[c] / m), exclude);
  });
}

Status buildFixedTotalNumber(const ConnectSpec &s, unsigned threads,
                             uint64_t budget, Synapses &out) {
  if (Status st = checkBudget(s, s.n, budget); !st)
    return st;
  PhiloxKey key = ref::philoxKey(s.seed);
  uint64_t pairs = uint64_t(s.nPre) * targetsPerRow(s);
  std::vector<uint64_t> chosen;
  if (s.allowMultapses) {
    chosen.resize(s.n);
    parallelFor(threads, s.n, [&](uint64_t b, uint64_t e, unsigned) {
      for (uint64_t k = b; k < e; ++k)
        chosen[k] = drawPair(key, k, pairs);
    });
    parallelSort(chosen, threads, std::less<uint64_t>());
  } else if (2 * s.n <= pairs) {
    chosen = firstDistinct(key, pairs, s.n, threads);
  } else {
    // Dense: draw the pairs left out instead (fewer than half of them).
    std::vector<uint64_t> excluded =
        firstDistinct(key, pairs, pairs - s.n, threads);
    chosen.reserve(s.n);
    uint64_t c = 0;
    for (uint64_t v = 0; v < pairs; ++v) {
      if (c < excluded.size() && excluded[c] == v)
        ++c;
      else
        chosen.push_back(v);
    }
  }
  pairsToCsr(s, chosen, threads, out);
  return Status::ok();
}
} // namespace

uint64_t sumFixedProbability(const ConnectSpec &s, unsigned threads) {
  PhiloxKey key = ref::philoxKey(s.seed);
  double logQ = s.p > 0 && s.p < 1 ? logOneMinus(s.p) : 0;
  unsigned t =
      unsigned(std::max<uint64_t>(1, std::min<uint64_t>(threads, s.nPre)));
  std::vector<uint64_t> partial(t, 0);
  parallelFor(t, s.nPre, [&](uint64_t b, uint64_t e, unsigned k) {
    uint64_t c = 0;
    for (uint64_t i = b; i < e; ++i)
      probabilityRow(s, key, logQ, uint32_t(i), [&](uint32_t) { ++c; });
    partial[k] = c;
  });
  uint64_t total = 0;
  for (uint64_t c : partial)
    total += c;
  return total;
}

void countFixedProbability(const ConnectSpec &s, unsigned threads,
                           uint32_t *counts) {
  PhiloxKey key = ref::philoxKey(s.seed);
  double logQ = s.p > 0 && s.p < 1 ? logOneMinus(s.p) : 0;
  parallelFor(threads, s.nPre, [&](uint64_t b, uint64_t e, unsigned) {
    for (uint64_t i = b; i < e; ++i) {
      uint32_t c = 0;
      probabilityRow(s, key, logQ, uint32_t(i), [&](uint32_t) { ++c; });
      counts[i] = c;
    }
  });
}

Status buildTargets(const ConnectSpec &s, unsigned threads, uint64_t budget,
                    Synapses &out) {
  switch (s.rule) {
  case Rule::AllToAll:
    return buildAllToAll(s, threads, budget, out);
  case Rule::OneToOne:
    return buildOneToOne(s, budget, out);
  case Rule::FixedProbability:
    return buildFixedProbability(s, threads, budget, out);
  case Rule::FixedInDegree:
    return buildFixedInDegree(s, threads, budget, out);
  case Rule::FixedTotalNumber:
    return buildFixedTotalNumber(s, threads, budget, out);
  case Rule::FixedOutDegree:
    return buildFixedOutDegree(s, threads, budget, out);
  }
  return Status(StatusCode::kInternal, "buildTargets: unknown rule");
}

} // namespace snnc::procedural::detail
