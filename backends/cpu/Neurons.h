//===- Neurons.h - Per-step neuron updates, float and fixed -----*- C++ -*-===//
//
// The timer-tick half of a step: each function advances one thread's slice
// of one population by one step. It reads the accumulator slot of this step
// (and clears it for reuse by the ring), updates the state in place and
// writes the 0/1 spike bytes of spiking kinds. The loops are branch-free
// over structure-of-arrays state so that the compiler vectorizes them.
//
// Units: float state in the network's units; fixed state in integers of the
// population's frac_bits (docs/fixed-point.md). Thread safety: touches only
// indices inside `slice`.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_NEURONS_H
#define SNNC_BACKENDS_CPU_NEURONS_H

#include "Model.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace snnc::cpu {

// The shared model (backends/model) under the names the engine uses.
using namespace snnc::model;

/// Mutable arrays of one population, all indexed by neuron (full size).
/// `v` holds the membrane, or the output of stateless kinds (Source value,
/// Relay's input, Threshold's input); `u` is the synaptic current of Cuba
/// kinds, or ReceptorLIF's receptor states (channel c at u + c * stride);
/// `input` is what setSource stored (Source only).
template <typename State, typename Acc> struct PopulationArrays {
  State *v = nullptr;
  State *u = nullptr;
  int32_t *refractory = nullptr; ///< ReceptorLIF: steps left to hold v
  const State *input = nullptr;
  uint8_t *spikes = nullptr;
  Acc *acc = nullptr; ///< this step's ring slot (channel c at acc + c * stride)
  size_t stride = 0;  ///< between channels
};

/// Float mode: the equations of docs/discretization.md, in float32, in the
/// written order (the engine is compiled with -ffp-contract=off), or in
/// lava-dl's integer arithmetic when rules.stateFracBits is set.
/// `firstStep`: step 0 of a run from reset, where the population's
/// firstBias (when it has one) replaces its bias.
void updateFloat(const PopulationModel &pop, const Rules &rules, Range slice,
                 const PopulationArrays<float, float> &a, bool firstStep);

/// ReceptorLIF (float mode only): receptors, conductances and refractory
/// period; ReceptorNeurons.cpp gives the equations.
void updateReceptorLif(const PopulationModel &pop, const Rules &rules,
                       Range slice, const PopulationArrays<float, float> &a);

/// Fixed mode: the same equations with FixedPoint.h arithmetic.
void updateFixed(const PopulationModel &pop, const Rules &rules, Range slice,
                 const PopulationArrays<int32_t, int64_t> &a);

/// Writes the indices of the nonzero bytes of spikes[slice] to `out` in
/// ascending order; returns how many. Every byte must be 0 or 1.
uint32_t gatherSpikes(const uint8_t *spikes, Range slice, uint32_t *out);

/// The same for bytes holding event counts (Rules::multiSpike), also
/// writing each count to `count`.
uint32_t gatherEvents(const uint8_t *spikes, Range slice, uint32_t *out,
                      float *count);

/// Writes the indices and values of the nonzero entries of v[slice] (a
/// float -0 counts as zero, NaN as nonzero, as `v != 0` says); returns how
/// many.
template <typename V>
uint32_t gatherNonzero(const V *v, Range slice, uint32_t *index, V *value) {
  static_assert(sizeof(V) == 4, "float or int32 outputs");
  // Bits that make a value nonzero: all but a float's sign.
  constexpr uint32_t kMagnitude =
      std::is_floating_point_v<V> ? 0x7fffffffu : 0xffffffffu;
  auto bits = [&](uint32_t i) {
    uint32_t b;
    std::memcpy(&b, v + i, 4);
    return b & kMagnitude;
  };
  uint32_t n = 0, i = slice.lo;
  // Graded outputs are often sparse (inputs, rectified values): skip
  // groups of eight zeros with one test.
  for (; i + 8 <= slice.hi; i += 8) {
    uint32_t any = 0;
    for (uint32_t q = 0; q < 8; ++q)
      any |= bits(i + q);
    if (any == 0)
      continue;
    for (uint32_t q = 0; q < 8; ++q) {
      // Written unconditionally so the loop has no unpredictable branch.
      index[n] = i + q;
      value[n] = v[i + q];
      n += bits(i + q) != 0;
    }
  }
  for (; i < slice.hi; ++i) {
    index[n] = i;
    value[n] = v[i];
    n += bits(i) != 0;
  }
  return n;
}

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_NEURONS_H
