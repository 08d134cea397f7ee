//===- SpikeEvents.h - Spike recordings as (step, neuron) events -*- C++
//-*-===//
//
// A spike recording kept as one entry per spike rather than a dense
// [T, neurons] byte array: memory grows with the number of spikes, not with
// T x neurons. Session records spiking nodes this way (Session.h); the
// writers here turn events into the file layouts snn-run produces without
// building a dense copy first.
//
// Value type; not thread-shared. The writers share no state: concurrent
// calls on distinct paths are safe. Like writeNpy they write a sibling
// temporary file and rename it over `path`, so a failure leaves no partial
// file.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SPIKEEVENTS_H
#define SNNC_RUNTIME_SPIKEEVENTS_H

#include "snnc/runtime/Status.h"
#include "snnc/runtime/Tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace snnc {

/// The spikes of one node during one run, in the order they happened:
/// `steps` is non-decreasing and, within a step, `indices` ascend. Entry i
/// is one spike of neuron `indices[i]` (flat row-major index into `shape`)
/// in step `steps[i]` (0 = the first step of the run).
struct SpikeEvents {
  std::vector<int64_t> shape;    ///< the node's neuron shape, e.g. [2, 8, 8]
  int64_t numSteps = 0;          ///< steps of the run (every step < numSteps)
  std::vector<uint32_t> steps;   ///< step of each spike
  std::vector<uint32_t> indices; ///< flat neuron index of each spike

  /// Number of spikes.
  size_t size() const { return steps.size(); }
  /// Neurons of the node: numElements(shape).
  int64_t neurons() const { return numElements(shape); }
};

/// The dense form [numSteps, ...shape] (1 where a neuron spiked).
SpikeTensor denseSpikes(const SpikeEvents &events);

/// Per-neuron spike counts, [...shape].
Tensor countSpikes(const SpikeEvents &events);

/// Writes the dense spikes of `samples` as one '|u1' .npy array: shape
/// [numSteps, ...shape] for one sample when `batched` is false, else
/// [samples.size(), numSteps, ...shape]. Rows are built from the events a
/// block at a time (at most 1 MiB in memory), never as a whole dense copy.
/// All samples must share shape and numSteps (kInvalidArgument otherwise,
/// naming the sample).
Status writeSpikesNpy(const std::string &path,
                      std::span<const SpikeEvents> samples, bool batched);

/// Writes the events of `samples` as one '<i8' (int64) .npy array: [n, 2]
/// rows (step, flat neuron index) for one sample when `batched` is false,
/// else [n, 3] rows (sample, step, flat neuron index); n = total spikes,
/// in the order of the samples and then of the events.
Status writeEventsNpy(const std::string &path,
                      std::span<const SpikeEvents> samples, bool batched);

} // namespace snnc

#endif // SNNC_RUNTIME_SPIKEEVENTS_H
