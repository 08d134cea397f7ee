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

namespace snnc::cpu {

/// Mutable arrays of one population, all indexed by neuron (full size).
/// `v` holds the membrane, or the output of stateless kinds (Source value,
/// Relay's input, Threshold's input); `u` is the synaptic current of Cuba
/// kinds; `input` is what setSource stored (Source only).
template <typename State, typename Acc> struct PopulationArrays {
  State *v = nullptr;
  State *u = nullptr;
  const State *input = nullptr;
  uint8_t *spikes = nullptr;
  Acc *acc = nullptr; ///< this step's ring slot
};

/// Float mode: the equations of docs/discretization.md, in float32, in the
/// written order (the engine is compiled with -ffp-contract=off).
void updateFloat(const PopulationModel &pop, const Rules &rules, Range slice,
                 const PopulationArrays<float, float> &a);

/// Fixed mode: the same equations with FixedPoint.h arithmetic.
void updateFixed(const PopulationModel &pop, const Rules &rules, Range slice,
                 const PopulationArrays<int32_t, int64_t> &a);

/// Writes the indices of the nonzero bytes of spikes[slice] to `out` in
/// ascending order; returns how many.
uint32_t gatherSpikes(const uint8_t *spikes, Range slice, uint32_t *out);

/// Writes the indices and values of the nonzero entries of v[slice];
/// returns how many.
template <typename V>
uint32_t gatherNonzero(const V *v, Range slice, uint32_t *index, V *value) {
  uint32_t n = 0;
  for (uint32_t i = slice.lo; i < slice.hi; ++i) {
    // Written unconditionally so the loop has no unpredictable branch.
    index[n] = i;
    value[n] = v[i];
    n += v[i] != V(0);
  }
  return n;
}

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_NEURONS_H
