//===- PoissonNeurons.h - A PoissonSource's step ----------------*- C++ -*-===//
//
// The events of one thread's slice of a PoissonSource population for one
// step, drawn as runtime/reference/PoissonSource.h defines them (so float
// mode, fixed mode and every thread count draw the same counts). The counts
// become the population's output: the membrane array holds them (for
// readState), the spike bytes say which are nonzero, and the step's active
// list holds the nonzero ones with their counts, which projections deliver
// as count * weight.
//
// Thread safety: touches only indices inside `slice`.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_POISSONNEURONS_H
#define SNNC_BACKENDS_CPU_POISSONNEURONS_H

#include "Model.h"
#include "PoissonSource.h"

#include <cstdint>

namespace snnc::cpu {

// The shared model (backends/model) under the names the engine uses.
using namespace snnc::model;

/// poissonWord(key, i, step) for every neuron i of `slice`, to
/// out[i - slice.lo].
void poissonWords(ref::PhiloxKey key, Range slice, uint64_t step,
                  uint32_t *out);

/// The event counts of step `step` for every neuron i of `slice`, to
/// out[i - slice.lo] (through the words, in place).
void poissonCounts(const PoissonModel &pm, Range slice, uint64_t step,
                   uint32_t *out);

/// Draws step `step` for neurons `slice` of a PoissonSource; returns the
/// number of neurons with events, whose indices (ascending) and counts are
/// written to `index` and `value` (room for the slice).
template <typename State>
uint32_t drawPoisson(const PoissonModel &pm, Range slice, uint64_t step,
                     State *v, uint8_t *spikes, uint32_t *index, State *value) {
  const bool shared = pm.tableOf.empty();
  if (shared && pm.tables[0].size == 0) { // lambda so small the count is fixed
    const uint32_t count = pm.tables[0].first;
    uint32_t n = 0;
    for (uint32_t i = slice.lo; i < slice.hi; ++i) {
      v[i] = State(count);
      spikes[i] = count > 0;
      index[n] = i;
      value[n] = State(count);
      n += count > 0;
    }
    return n;
  }
  // First all the counts, parked in `index`: entry i - lo is read below
  // before entry n <= i - lo is written.
  poissonCounts(pm, slice, step, index);
  uint32_t n = 0;
  for (uint32_t i = slice.lo; i < slice.hi; ++i) {
    const uint32_t count = index[i - slice.lo];
    v[i] = State(count);
    spikes[i] = count > 0;
    index[n] = i;
    value[n] = State(count);
    n += count > 0;
  }
  return n;
}

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_POISSONNEURONS_H
