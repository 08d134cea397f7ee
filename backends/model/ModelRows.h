//===- ModelRows.h - CSR synapses into the engine's row blocks --*- C++ -*-===//
//
// Both explicit Sparse projections (read from the FlatBuffer) and
// Procedural ones (expanded at load by snnc_procedural) reach the engine
// through one conversion, so that the same synapses give the same model,
// hence the same spikes, whichever way the artifact carried them.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_MODEL_MODELROWS_H
#define SNNC_BACKENDS_MODEL_MODELROWS_H

#include "Model.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace snnc::model {

/// One projection's synapses as CSR by source neuron, borrowed from
/// whichever arrays hold them; nothing is owned.
template <typename W> struct CsrView {
  uint32_t sourceSize = 0;
  const uint32_t *rowStart = nullptr; ///< sourceSize + 1 offsets
  const uint32_t *targets = nullptr;
  const W *weights = nullptr; ///< one per synapse, or one in all
  bool sharedWeight = false;  ///< `weights` holds one value
  /// Steps per synapse (added to the projection's delay); null: none.
  const uint16_t *delays = nullptr;
};

/// The synapses of each slice of target neurons, one block per slice.
/// Blocks are built in parallel on up to `threads` std::threads (each
/// block reads the whole view, so the result does not depend on the
/// count); a thread that cannot be started has its blocks built by the
/// caller. Throws std::bad_alloc when memory runs out.
template <typename W>
std::vector<RowBlock<W>> splitRows(const CsrView<W> &view,
                                   const std::vector<Range> &slices,
                                   unsigned threads);

/// Bytes the blocks hold (their arrays' capacities).
template <typename W> uint64_t rowBytes(const std::vector<RowBlock<W>> &rows);

/// The delays in steps, from the source's step, of the fastest and the
/// slowest of `sourceSize` rows of synapses with their own delays; base[j]
/// (or `delay` when base is empty) is source neuron j's. With no synapses:
/// neuron 0's delay and 0.
std::pair<uint32_t, uint32_t>
synapseDelayRange(uint32_t sourceSize, const uint32_t *rowStart,
                  const uint16_t *delays, uint32_t delay,
                  const std::vector<uint32_t> &base);

/// Adds `steps` to every delay of `pj` (pj.delay, or each of pj.delays) and
/// to `longest`, and sets pj.immediate from the result: a Constant delay of
/// a rule is that many more delay_steps.
void addConstantDelay(ProjectionModel<float> &pj, uint32_t steps,
                      uint32_t &longest);

/// Expands Procedural projection `index` of `program` with `threads`
/// threads (procedural::expand) into `pj` exactly as an explicit Sparse
/// projection with the same synapses would be built: type Sparse, rows
/// split by `slices`, a Constant delay added to pj.delay (or each of
/// pj.delays), per-synapse delays in the rows (then pj.synapseDelays,
/// pj.immediate and `longest` from them). pj's delay fields must already
/// hold delay_steps (plus the recurrent step). The expanded arrays are
/// freed before it returns. Refuses, before allocating, synapses that with
/// their rows would not fit in the program's expansion budget less
/// `resident` bytes (rows of earlier projections); the message names the
/// projection and the bytes. Throws std::bad_alloc when memory runs out.
Status expandProcedural(const Program &program, uint32_t index,
                        const std::vector<Range> &slices, unsigned threads,
                        uint64_t resident, ProjectionModel<float> &pj,
                        uint32_t &longest, const char *backend = "cpu");

extern template std::vector<RowBlock<float>>
splitRows(const CsrView<float> &, const std::vector<Range> &, unsigned);
extern template std::vector<RowBlock<int32_t>>
splitRows(const CsrView<int32_t> &, const std::vector<Range> &, unsigned);
extern template uint64_t rowBytes(const std::vector<RowBlock<float>> &);
extern template uint64_t rowBytes(const std::vector<RowBlock<int32_t>> &);

} // namespace snnc::model

#endif // SNNC_BACKENDS_MODEL_MODELROWS_H
