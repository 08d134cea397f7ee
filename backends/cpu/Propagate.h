//===- Propagate.h - Delivering output to targets ---------------*- C++ -*-===//
//
// The event half of a step: for each spike (or nonzero graded value) of a
// source population, walk its synapse row and add the contribution to the
// target's input accumulator for the step the delay names. One call handles
// one projection for one thread, which writes only the targets in its own
// slice: each accumulator is then written by a single thread, in the same
// order (source neuron ascending, row order) whatever the thread count, so
// float sums are bit-identical across thread counts.
//
// Ops supplies the arithmetic: FloatOps (weights are floats) or FixedOps
// (weights are mantissas, FixedPoint.h rules). Thread safety: see above;
// no shared mutable state besides the caller's slice of the accumulators.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_PROPAGATE_H
#define SNNC_BACKENDS_CPU_PROPAGATE_H

#include "FixedPoint.h"
#include "Model.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace snnc::cpu {

/// The outputs of one population produced by one thread during a step:
/// indices of spiking neurons, or of nonzero graded values plus the values.
/// Capacity is the thread's slice, reserved once, so the step never
/// allocates.
template <typename V> struct alignas(64) ActiveList {
  std::vector<uint32_t> index;
  std::vector<V> value; ///< graded populations only
  uint32_t count = 0;
};

struct FloatOps {
  using Weight = float;
  using Acc = float;
  explicit FloatOps(const ProjectionModel<float> &) {}
  float spike(float w) const { return w; }
  float graded(float value, float w) const { return value * w; }
  static void add(float &acc, float c) { acc += c; }
};

struct FixedOps {
  using Weight = int32_t;
  using Acc = int64_t;
  explicit FixedOps(const ProjectionModel<int32_t> &p)
      : exponent(p.exponent), sourceFracBits(p.sourceFracBits) {}
  int64_t spike(int32_t m) const {
    return fixedpoint::weightValue(m, exponent);
  }
  int64_t graded(int32_t g, int32_t m) const {
    return fixedpoint::gradedContribution(g, m, exponent, sourceFracBits);
  }
  static void add(int64_t &acc, int64_t c) {
    acc = fixedpoint::accumulate(acc, c);
  }
  int exponent, sourceFracBits;
};

/// How far ahead in the event list sparse rows are prefetched, and at most
/// how many bytes of each (measured on the sparse benchmark: a row of 100
/// synapses is 13 cache lines; fetching only its start leaves most misses).
constexpr uint32_t kLookahead = 2;
constexpr uintptr_t kRowPrefetchBytes = 16 * 64;
/// How far ahead of the current synapse a long row is prefetched (1 and
/// 4 KiB were slower on the sparse benchmark).
constexpr uintptr_t kStreamAheadBytes = 2048;

/// A prefetch of an address that may lie past the end of an array: formed
/// as an integer, since such a pointer may not even be computed.
inline void prefetchAddress(uintptr_t address) {
  __builtin_prefetch(reinterpret_cast<const void *>(address));
}

/// Delivers every list in `lists` (one per thread, in thread order, so in
/// ascending source index) through projection `pj`, restricted to the
/// targets in `mine`. `ring` is the target's accumulator ring of
/// `slots` x targetSize values and `current` the slot of this step.
/// Returns the number of synapses touched.
template <typename Ops, bool Graded, typename V>
int64_t propagate(const ProjectionModel<typename Ops::Weight> &pj,
                  const std::vector<ActiveList<V>> &lists, unsigned member,
                  Range mine, typename Ops::Acc *ring, uint32_t slots,
                  uint32_t current) {
  using Acc = typename Ops::Acc;
  using W = typename Ops::Weight;
  const Ops ops(pj);
  const uint32_t nt = pj.targetSize;
  const bool perSource = !pj.delays.empty();
  auto slotOf = [&](uint32_t delay) {
    uint32_t s = current + delay; // both < slots
    return ring + size_t(s >= slots ? s - slots : s) * nt;
  };
  Acc *uniform = slotOf(perSource ? 0 : pj.delay);
  auto contribution = [&](V value, W w) {
    if constexpr (Graded)
      return ops.graded(value, w);
    else
      return ops.spike(w);
  };
  int64_t events = 0;

  // One visitor per connectivity kind, so the kind is switched once per
  // call and the per-event loop stays tight.
  // `ahead(j)` is told the event kLookahead places later, so that its
  // memory can be requested while this one is processed.
  auto forEachEvent = [&](auto &&visit, auto &&ahead) {
    for (const ActiveList<V> &list : lists)
      for (uint32_t k = 0; k < list.count; ++k) {
        if (k + kLookahead < list.count)
          ahead(list.index[k + kLookahead]);
        const uint32_t j = list.index[k];
        V value{};
        if constexpr (Graded)
          value = list.value[k];
        visit(j, value, perSource ? slotOf(pj.delays[j]) : uniform);
      }
  };

  switch (pj.type) {
  case snnb::Connectivity::Dense:
    if (mine.lo < mine.hi)
      forEachEvent(
          [&](uint32_t j, V value, Acc *acc) {
            const W *row = pj.dense.data() + size_t(j) * nt;
            for (uint32_t i = mine.lo; i < mine.hi; ++i)
              Ops::add(acc[i], contribution(value, row[i]));
            events += mine.size();
          },
          [](uint32_t) {});
    break;
  case snnb::Connectivity::Sparse: {
    const RowBlock<W> &block = pj.rows[member];
    forEachEvent(
        [&](uint32_t j, V value, Acc *acc) {
          const Synapse<W> *s = block.synapses.data() + block.start[j];
          const Synapse<W> *end = block.synapses.data() + block.start[j + 1];
          events += end - s;
          // Long rows (beyond what `ahead` fetched) are prefetched a fixed
          // distance ahead: one cache line per eight synapses.
          for (; s + 8 <= end; s += 8) {
            prefetchAddress(uintptr_t(s) + kStreamAheadBytes);
            for (int q = 0; q < 8; ++q)
              Ops::add(acc[s[q].target], contribution(value, s[q].weight));
          }
          for (; s != end; ++s)
            Ops::add(acc[s->target], contribution(value, s->weight));
        },
        [&](uint32_t j) {
          // Rows live in a large array and successive events jump around it;
          // the hardware prefetcher follows a row once it has been started.
          const uintptr_t row =
              uintptr_t(block.synapses.data() + block.start[j]);
          const uintptr_t end =
              std::min(uintptr_t(block.synapses.data() + block.start[j + 1]),
                       row + kRowPrefetchBytes);
          for (uintptr_t line = row; line < end; line += 64)
            prefetchAddress(line);
        });
    break;
  }
  case snnb::Connectivity::Conv:
  case snnb::Connectivity::Pool: {
    if (mine.lo >= mine.hi)
      break;
    const Window &w = pj.window;
    const bool pool = pj.type == snnb::Connectivity::Pool;
    const int64_t plane = w.outH * w.outW, inPlane = w.inH * w.inW;
    const int64_t inPerGroup = w.inC / w.groups,
                  outPerGroup = w.outC / w.groups;
    // Output channels that hold any of this thread's targets.
    const int64_t cLo = mine.lo / plane, cHi = (int64_t(mine.hi) - 1) / plane;
    forEachEvent(
        [&](uint32_t j, V value, Acc *acc) {
          const int64_t c = j / inPlane, y = (j % inPlane) / w.inW,
                        x = j % w.inW;
          const int64_t group = c / inPerGroup, local = c % inPerGroup;
          const int64_t ocLo = std::max(group * outPerGroup, cLo);
          const int64_t ocHi = std::min((group + 1) * outPerGroup - 1, cHi);
          // Cross-correlation: output (oy, ox) reads input
          // (oy*sh - ph + ky*dh, ox*sw - pw + kx*dw); invert that for (y, x).
          for (int64_t ky = 0; ky < w.kh; ++ky) {
            const int64_t ty = y + w.ph - ky * w.dh;
            if (ty < 0 || ty % w.sh != 0 || ty / w.sh >= w.outH)
              continue;
            const int64_t oy = ty / w.sh;
            for (int64_t kx = 0; kx < w.kw; ++kx) {
              const int64_t tx = x + w.pw - kx * w.dw;
              if (tx < 0 || tx % w.sw != 0 || tx / w.sw >= w.outW)
                continue;
              const int64_t pos = oy * w.outW + tx / w.sw;
              for (int64_t oc = ocLo; oc <= ocHi; ++oc) {
                const int64_t t = oc * plane + pos;
                if (t < mine.lo || t >= mine.hi)
                  continue;
                const W wt =
                    pool ? pj.poolWeight
                         : pj.kernel[((oc * inPerGroup + local) * w.kh + ky) *
                                         w.kw +
                                     kx];
                Ops::add(acc[t], contribution(value, wt));
                ++events;
              }
            }
          }
        },
        [](uint32_t) {});
    break;
  }
  default:
    break;
  }
  return events;
}

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_PROPAGATE_H
