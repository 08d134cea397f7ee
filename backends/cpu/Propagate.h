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

#include "Aligned.h"
#include "FixedPoint.h"
#include "Model.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace snnc::cpu {

// The shared model (backends/model) under the names the engine uses.
using namespace snnc::model;

/// The outputs of one population produced by one thread during a step:
/// indices of spiking neurons, or of nonzero graded values plus the values.
/// Capacity is the thread's slice, reserved once, so the step never
/// allocates.
template <typename V> struct alignas(64) ActiveList {
  AlignedVector<uint32_t> index;
  AlignedVector<V> value; ///< graded populations only
  /// On its own cache line: the owner writes it every step, while the
  /// vectors' pointers above stay read-only and cached on every core.
  alignas(64) uint32_t count = 0;

  /// Requests the count and the first entries; other threads read a list
  /// right after its owner wrote it on another core, so asking for all of
  /// them at once overlaps the transfers.
  void prefetch() const {
    __builtin_prefetch(&count);
    __builtin_prefetch(index.data());
  }
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

/// A prefetch of an address that may lie past the end of an array: formed
/// as an integer, since such a pointer may not even be computed.
inline void prefetchAddress(uintptr_t address) {
  __builtin_prefetch(reinterpret_cast<const void *>(address));
}

/// Walks one sparse row block's rows for every event of `forEachEvent`,
/// with the block's target width and weight storage fixed at compile time.
template <typename Ops, bool Graded, typename T, bool Uniform, typename V,
          typename ForEach>
int64_t sparseRows(const Ops &ops, const RowBlock<typename Ops::Weight> &block,
                   const T *targets, ForEach &&forEachEvent) {
  using W = typename Ops::Weight;
  using Acc = typename Ops::Acc;
  const W *weights = block.weights.data();
  int64_t events = 0;
  auto contribution = [&](V value, W w) {
    if constexpr (Graded)
      return ops.graded(value, w);
    else
      return ops.spike(w);
  };
  forEachEvent(
      [&](uint32_t j, V value, Acc *slot) {
        Acc *acc = slot + block.base;
        const uint32_t lo = block.start[j], hi = block.start[j + 1];
        events += hi - lo;
        const T *t = targets + lo;
        const uint32_t n = hi - lo;
        if constexpr (Uniform) {
          const auto c = contribution(value, block.weight);
          uint32_t q = 0;
          for (; q + 4 <= n; q += 4) {
            Ops::add(acc[t[q]], c);
            Ops::add(acc[t[q + 1]], c);
            Ops::add(acc[t[q + 2]], c);
            Ops::add(acc[t[q + 3]], c);
          }
          for (; q < n; ++q)
            Ops::add(acc[t[q]], c);
        } else {
          const W *w = weights + lo;
          for (uint32_t q = 0; q < n; ++q)
            Ops::add(acc[t[q]], contribution(value, w[q]));
        }
      },
      [&](uint32_t j) {
        // Rows live in large arrays and successive events jump around
        // them; the hardware prefetcher follows a row once it has started.
        const uint32_t lo = block.start[j], hi = block.start[j + 1];
        const uintptr_t row = uintptr_t(targets + lo);
        const uintptr_t end =
            std::min(uintptr_t(targets + hi), row + kRowPrefetchBytes);
        for (uintptr_t line = row; line < end; line += 64)
          prefetchAddress(line);
        if constexpr (!Uniform) {
          const uintptr_t wrow = uintptr_t(weights + lo);
          const uintptr_t wend =
              std::min(uintptr_t(weights + hi), wrow + kRowPrefetchBytes);
          for (uintptr_t line = wrow; line < wend; line += 64)
            prefetchAddress(line);
        }
      });
  return events;
}

/// sparseRows for a projection with per-synapse delays: each synapse adds
/// its own delay to the event's, so each picks its ring slot. A separate
/// kernel, so that projections with one delay per event keep their single
/// slot pointer. `first` is the slot of the event's own delay.
template <typename Ops, bool Graded, typename T, bool Uniform, typename V,
          typename ForEach>
int64_t
sparseRowsDelayed(const Ops &ops, const RowBlock<typename Ops::Weight> &block,
                  const T *targets, typename Ops::Acc *ring, size_t slotStride,
                  uint32_t slots, ForEach &&forEachEvent) {
  using W = typename Ops::Weight;
  using Acc = typename Ops::Acc;
  const W *weights = block.weights.data();
  const uint16_t *delays = block.delays.data();
  Acc *base = ring + block.base;
  int64_t events = 0;
  auto contribution = [&](V value, W w) {
    if constexpr (Graded)
      return ops.graded(value, w);
    else
      return ops.spike(w);
  };
  forEachEvent(
      [&](uint32_t j, V value, uint32_t first) {
        const uint32_t lo = block.start[j], hi = block.start[j + 1];
        events += hi - lo;
        const T *t = targets + lo;
        const uint16_t *d = delays + lo;
        const uint32_t n = hi - lo;
        // first < slots and first + d[q] <= slots - 1 + slots: the ring
        // holds the longest delay, so one subtraction wraps.
        auto slot = [&](uint32_t q) {
          const uint32_t s = first + d[q];
          return base + size_t(s >= slots ? s - slots : s) * slotStride;
        };
        if constexpr (Uniform) {
          const auto c = contribution(value, block.weight);
          for (uint32_t q = 0; q < n; ++q)
            Ops::add(slot(q)[t[q]], c);
        } else {
          const W *w = weights + lo;
          for (uint32_t q = 0; q < n; ++q)
            Ops::add(slot(q)[t[q]], contribution(value, w[q]));
        }
      },
      [&](uint32_t j) {
        const uint32_t lo = block.start[j];
        prefetchAddress(uintptr_t(targets + lo));
        prefetchAddress(uintptr_t(delays + lo));
        if constexpr (!Uniform)
          prefetchAddress(uintptr_t(weights + lo));
      });
  return events;
}

/// The per-synapse delay kernel with the block's storage fixed at compile
/// time; events visit in the same order as in propagate().
template <typename Ops, bool Graded, typename V>
int64_t
sparseDelayed(const Ops &ops, const ProjectionModel<typename Ops::Weight> &pj,
              const RowBlock<typename Ops::Weight> &b,
              const std::vector<ActiveList<V>> &lists, typename Ops::Acc *ring,
              size_t slotStride, uint32_t slots, uint32_t current) {
  auto forEachEvent = [&](auto &&visit, auto &&ahead) {
    for (const ActiveList<V> &list : lists)
      for (uint32_t k = 0; k < list.count; ++k) {
        if (k + kLookahead < list.count)
          ahead(list.index[k + kLookahead]);
        const uint32_t j = list.index[k];
        V value{};
        if constexpr (Graded)
          value = list.value[k];
        // current < slots and the event's delay <= slots.
        uint32_t first =
            current + (pj.delays.empty() ? pj.delay : pj.delays[j]);
        visit(j, value, first >= slots ? first - slots : first);
      }
  };
  if (b.narrow)
    return b.uniform ? sparseRowsDelayed<Ops, Graded, uint16_t, true, V>(
                           ops, b, b.narrowTargets.data(), ring, slotStride,
                           slots, forEachEvent)
                     : sparseRowsDelayed<Ops, Graded, uint16_t, false, V>(
                           ops, b, b.narrowTargets.data(), ring, slotStride,
                           slots, forEachEvent);
  return b.uniform ? sparseRowsDelayed<Ops, Graded, uint32_t, true, V>(
                         ops, b, b.wideTargets.data(), ring, slotStride, slots,
                         forEachEvent)
                   : sparseRowsDelayed<Ops, Graded, uint32_t, false, V>(
                         ops, b, b.wideTargets.data(), ring, slotStride, slots,
                         forEachEvent);
}

/// Delivers every list in `lists` (one per thread, in thread order, so in
/// ascending source index) through projection `pj`, restricted to the
/// targets in `mine`. `ring` is the target's accumulator ring (slots of
/// `slotStride` values, the projection's receptor channel already added)
/// and `current` the slot of this step. Returns the number of synapses
/// touched.
template <typename Ops, bool Graded, typename V>
int64_t propagate(const ProjectionModel<typename Ops::Weight> &pj,
                  const std::vector<ActiveList<V>> &lists, unsigned member,
                  Range mine, typename Ops::Acc *ring, size_t slotStride,
                  uint32_t slots, uint32_t current) {
  using Acc = typename Ops::Acc;
  using W = typename Ops::Weight;
  const Ops ops(pj);
  const uint32_t nt = pj.targetSize;
  const bool perSource = !pj.delays.empty();
  auto slotOf = [&](uint32_t delay) {
    uint32_t s = current + delay; // current < slots, delay <= slots
    return ring + size_t(s >= slots ? s - slots : s) * slotStride;
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
    const RowBlock<W> &b = pj.rows[member];
    if (pj.synapseDelays) {
      events = sparseDelayed<Ops, Graded, V>(ops, pj, b, lists, ring,
                                             slotStride, slots, current);
      break;
    }
    if (b.narrow)
      events = b.uniform ? sparseRows<Ops, Graded, uint16_t, true, V>(
                               ops, b, b.narrowTargets.data(), forEachEvent)
                         : sparseRows<Ops, Graded, uint16_t, false, V>(
                               ops, b, b.narrowTargets.data(), forEachEvent);
    else
      events = b.uniform ? sparseRows<Ops, Graded, uint32_t, true, V>(
                               ops, b, b.wideTargets.data(), forEachEvent)
                         : sparseRows<Ops, Graded, uint32_t, false, V>(
                               ops, b, b.wideTargets.data(), forEachEvent);
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
