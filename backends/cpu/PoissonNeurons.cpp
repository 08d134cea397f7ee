//===- PoissonNeurons.cpp - The Philox words of a PoissonSource step ------===//
#include "PoissonNeurons.h"

#include "Vectorize.h"

#include <algorithm>

namespace snnc::cpu {

// Independent Philox blocks, one per four neurons: the AVX2 clone computes
// eight blocks at once (measured on a PD14-sized source: 11.6 ns per neuron
// and step with one block per neuron, most of it Philox). Integer
// arithmetic, so both clones give the same words. Slices start at
// multiples of 64 neurons; only a population's last quad may be partial.
SNNC_CPU_CLONES void poissonWords(ref::PhiloxKey key, Range slice,
                                  uint64_t step, uint32_t *out) {
  const uint32_t lo = slice.lo & ~3u, full = slice.hi >> 2;
  // Counted from 0: GCC does not vectorize a loop over quads from lo / 4.
  const uint32_t quads = full > (lo >> 2) ? full - (lo >> 2) : 0;
  const uint32_t skip = slice.lo - lo; // 0 for every slice the engine makes
  if (skip == 0) {
    // The four words of each block go to four separate arrays first (a
    // loop GCC vectorizes), then are interleaved: stored straight to
    // out[4q + j], the loop stays scalar (measured).
    constexpr uint32_t kChunk = 256;
    uint32_t w[4][kChunk];
    for (uint32_t base = 0; base < quads; base += kChunk) {
      const uint32_t m = std::min(kChunk, quads - base);
      const uint32_t first = (lo >> 2) + base;
      for (uint32_t q = 0; q < m; ++q) {
        const ref::PhiloxCounter b = ref::poissonBlock(key, first + q, step);
        w[0][q] = b[0];
        w[1][q] = b[1];
        w[2][q] = b[2];
        w[3][q] = b[3];
      }
      uint32_t *o = out + 4 * base;
      for (uint32_t q = 0; q < m; ++q) {
        o[4 * q] = w[0][q];
        o[4 * q + 1] = w[1][q];
        o[4 * q + 2] = w[2][q];
        o[4 * q + 3] = w[3][q];
      }
    }
  } else {
    for (uint32_t i = slice.lo; i < (full << 2) && i < slice.hi; ++i)
      out[i - slice.lo] = ref::poissonWord(key, i, step);
  }
  for (uint32_t i = std::max(slice.lo, full << 2); i < slice.hi; ++i)
    out[i - slice.lo] = ref::poissonWord(key, i, step);
}

// A shared table of up to 64 thresholds (lambda up to about 25): every
// neuron's count is the sum of all compares, which the AVX2 clone does for
// eight neurons at once (one broadcast threshold per pass). Per-neuron
// tables and long ones search neuron by neuron.
SNNC_CPU_CLONES void poissonCounts(const PoissonModel &pm, Range slice,
                                   uint64_t step, uint32_t *out) {
  poissonWords(pm.key, slice, step, out);
  const uint32_t n = slice.size();
  if (pm.tableOf.empty() && pm.tables[0].size <= 64) {
    const PoissonModel::Table &t = pm.tables[0];
    const uint32_t *th = pm.thresholds.data() + t.offset;
    // Threshold by threshold over a chunk of neurons: the inner loop runs
    // over neurons, eight to a vector (over thresholds it would run a
    // handful of lanes per neuron).
    constexpr uint32_t kChunk = 256;
    uint32_t below[kChunk];
    for (uint32_t base = 0; base < n; base += kChunk) {
      const uint32_t m = std::min(kChunk, n - base);
      uint32_t *word = out + base;
      for (uint32_t q = 0; q < m; ++q)
        below[q] = t.first;
      for (uint32_t k = 0; k < t.size; ++k) {
        const uint32_t threshold = th[k];
        for (uint32_t q = 0; q < m; ++q)
          below[q] += threshold <= word[q];
      }
      for (uint32_t q = 0; q < m; ++q)
        word[q] = below[q];
    }
    return;
  }
  for (uint32_t q = 0; q < n; ++q) {
    const PoissonModel::Table &t =
        pm.tables[pm.tableOf.empty() ? 0 : pm.tableOf[slice.lo + q]];
    out[q] = t.size == 0 ? t.first
                         : ref::poissonCount(pm.thresholds.data() + t.offset,
                                             t.size, t.first, out[q]);
  }
}

} // namespace snnc::cpu
