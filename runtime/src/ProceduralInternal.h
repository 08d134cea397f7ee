//===- ProceduralInternal.h - Shared pieces of the synapse expander -------===//
//
// Not installed: helpers the rule, distribution and driver files share. The
// parallel helpers split work into contiguous chunks and never let a worker
// allocate, so a worker cannot throw (an escaping exception would terminate
// the process); every allocation happens on the calling thread, where
// expand() turns std::bad_alloc into a Status.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SRC_PROCEDURALINTERNAL_H
#define SNNC_RUNTIME_SRC_PROCEDURALINTERNAL_H

#include "Philox.h"
#include "ProceduralRow.h"
#include "snnc/runtime/Procedural.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace snnc::procedural::detail {

/// Redraws of a clipped normal (or polar rejections) before the fallback.
inline constexpr uint32_t kMaxAttempts = 100000;
/// A normal window must keep at least this share of the mass.
inline constexpr double kMinWindowMass = 1e-3;
/// CSR offsets are 32-bit.
inline constexpr uint64_t kMaxSynapses = UINT32_MAX;

inline bool excludesAutapses(const ConnectSpec &s) {
  return s.samePopulation && !s.allowAutapses;
}
/// Targets a row may reach (AllToAll, FixedProbability, FixedTotalNumber).
inline uint32_t targetsPerRow(const ConnectSpec &s) {
  return s.nPost - (excludesAutapses(s) && s.nPost > 0 ? 1 : 0);
}
/// Sources a target may draw from (FixedInDegree).
inline uint32_t sourcesPerTarget(const ConnectSpec &s) {
  return s.nPre - (excludesAutapses(s) && s.nPre > 0 ? 1 : 0);
}
/// Candidate m of neuron `self` when self is left out: m < self stays,
/// m >= self moves up by one. Monotonic, so sorted candidates stay sorted.
inline uint32_t skipSelf(uint64_t m, uint32_t self, bool exclude) {
  return ref::skipSelf(m, self, exclude);
}

const char *ruleName(Rule rule);
/// Shortest round-trip decimal form of a double.
std::string num(double v);
/// Refuses more synapses than CSR offsets hold, or bytesFor() over budget;
/// offsetsOnly: the check before counting, when only rowStart is known.
Status checkBudget(const ConnectSpec &s, uint64_t synapses, uint64_t budget,
                   bool offsetsOnly = false);

/// Runs fn(begin, end, chunk) on min(chunks, n) contiguous pieces of [0, n)
/// (at least one), one
/// std::thread per piece but the first (the caller's). A thread that cannot
/// be started has its piece run by the caller, so the result never depends
/// on how many threads ran.
template <typename F> void parallelFor(unsigned chunks, uint64_t n, F &&fn) {
  uint64_t t = std::max<uint64_t>(1, std::min<uint64_t>(chunks, n));
  auto at = [&](uint64_t k) { return uint64_t((unsigned __int128)n * k / t); };
  if (t == 1) {
    fn(uint64_t(0), n, 0u);
    return;
  }
  std::vector<std::thread> pool;
  std::vector<uint64_t> notStarted;
  pool.reserve(t - 1);
  notStarted.reserve(t - 1);
  for (uint64_t k = 1; k < t; ++k) {
    try {
      pool.emplace_back(
          [&fn, b = at(k), e = at(k + 1), k] { fn(b, e, unsigned(k)); });
    } catch (const std::system_error &) {
      notStarted.push_back(k);
    }
  }
  fn(uint64_t(0), at(1), 0u);
  for (uint64_t k : notStarted)
    fn(at(k), at(k + 1), unsigned(k));
  for (std::thread &th : pool)
    th.join();
}

/// Splits rows [0, nRows) into `chunks` ranges of about equal synapse
/// counts (rowStart has nRows + 1 offsets) and runs fn(rowBegin, rowEnd).
template <typename F>
void parallelRows(unsigned chunks, const std::vector<uint32_t> &rowStart,
                  F &&fn) {
  uint64_t nRows = rowStart.size() - 1, total = rowStart.back();
  uint64_t t = std::max<uint64_t>(1, std::min<uint64_t>(chunks, nRows));
  std::vector<uint64_t> cut(t + 1);
  for (uint64_t k = 0; k <= t; ++k) {
    uint64_t want = uint64_t((unsigned __int128)total * k / t);
    uint64_t r = std::lower_bound(rowStart.begin(), rowStart.end(), want) -
                 rowStart.begin();
    cut[k] = std::min(r, nRows);
  }
  cut[0] = 0;
  cut[t] = nRows;
  for (uint64_t k = 1; k <= t; ++k)
    cut[k] = std::max(cut[k], cut[k - 1]);
  parallelFor(unsigned(t), t, [&](uint64_t b, uint64_t e, unsigned) {
    for (uint64_t c = b; c < e; ++c)
      fn(cut[c], cut[c + 1]);
  });
}

/// Sorts v by `less`, a strict total order on distinguishable elements, so
/// the result is unique whatever the split: chunks sorted in parallel, then
/// merged pairwise.
template <typename T, typename Less>
void parallelSort(std::vector<T> &v, unsigned threads, Less less) {
  uint64_t n = v.size();
  uint64_t t =
      std::max<uint64_t>(1, std::min<uint64_t>(threads, n / 65536 + 1));
  std::vector<uint64_t> cut(t + 1);
  for (uint64_t k = 0; k <= t; ++k)
    cut[k] = uint64_t((unsigned __int128)n * k / t);
  parallelFor(unsigned(t), t, [&](uint64_t b, uint64_t e, unsigned) {
    for (uint64_t c = b; c < e; ++c)
      std::sort(v.begin() + cut[c], v.begin() + cut[c + 1], less);
  });
  for (uint64_t width = 1; width < t; width *= 2) {
    uint64_t pairs = (t + 2 * width - 1) / (2 * width);
    parallelFor(unsigned(pairs), pairs, [&](uint64_t b, uint64_t e, unsigned) {
      for (uint64_t pr = b; pr < e; ++pr) {
        uint64_t lo = pr * 2 * width, mid = std::min(lo + width, t),
                 hi = std::min(lo + 2 * width, t);
        // libstdc++'s inplace_merge falls back to a buffer-less merge
        // rather than throwing when it cannot allocate.
        std::inplace_merge(v.begin() + cut[lo], v.begin() + cut[mid],
                           v.begin() + cut[hi], less);
      }
    });
  }
}

/// The distribution sampler with the key already derived (hot loops).
double sampleWithKey(const Distribution &d, ref::PhiloxKey key, uint32_t stream,
                     uint32_t row, uint32_t position);

/// Builds rowStart and targets for the spec's rule, refusing a result over
/// the budget before allocating the targets (ProceduralRules.cpp).
Status buildTargets(const ConnectSpec &s, unsigned threads, uint64_t budget,
                    Synapses &out);
/// Counts FixedProbability synapses row by row into counts[i] (nPre).
void countFixedProbability(const ConnectSpec &s, unsigned threads,
                           uint32_t *counts);
/// Total FixedProbability synapses, one counter per thread.
uint64_t sumFixedProbability(const ConnectSpec &s, unsigned threads);
/// Fills weights and delaySteps once targets are final.
void fillValues(const ConnectSpec &s, unsigned threads, Synapses &out);

} // namespace snnc::procedural::detail

#endif // SNNC_RUNTIME_SRC_PROCEDURALINTERNAL_H
