//===- NirData.h - Recordings in NIR's NIRGraphData HDF5 layout -*- C++ -*-===//
//
// writeNirData stores recorded observables (spikes, membrane potentials...)
// so that NIR's Python reader, nir.read_data(path), returns a NIRGraphData
// with one NIRNodeData per node and one TimeGriddedData or EventData per
// observable.
//
// Layout written (strings are variable-length UTF-8 scalar attributes, the
// form h5py gives Python str; NIR compares them with ==, which fails for
// fixed-length strings, read back as bytes):
//   /                        attr __type__ = "NIRGraphData"
//   /nodes/<node>            attr __type__ = "NIRNodeData"
//   /nodes/<node>/observables/<observable>, gridded:
//                            attr __type__ = "TimeGriddedData"
//                            attr dt       = float64 scalar, seconds
//                            attr snnc_shape = int64[] (our full shape)
//                            attr snnc_neurons = int64[] (only when the
//                              data holds chosen neurons: their indices)
//     data                   (samples, steps, neurons), gzip level 4 when
//                            the HDF5 build has deflate, as NIR writes it
//   /nodes/<node>/observables/<observable>, events:
//                            attr __type__ = "EventData"
//                            attr n_neurons = int64 scalar
//                            attr t_max    = float64 scalar, seconds
//                            attr snnc_shape = int64[] [samples, steps, ...]
//     idx                    int64 (samples, max events of a sample), -1 pad
//     time                   float64 (same shape), seconds, +inf pad
// The neuron dimensions are flattened row-major into one, since NIR's
// TimeGriddedData requires 3-D data and EventData one neuron index;
// snnc_shape keeps the original shape (NIR's reader ignores attributes it
// does not know). An event of step k has time k * dt, raised by the least
// amount (ulps) that makes NIR's floor(time / dt) give k again; t_max is
// steps * dt raised the same way for int(t_max / dt).
//
// Data types: a gridded observable named "spikes" must hold only 0 and 1
// and is stored as h5py's boolean (an int8 enum FALSE=0/TRUE=1), because
// NIR's TimeGriddedData.to_event refuses anything but bool. Every other
// gridded observable is stored as little-endian float32.
//
// NIR's dynamic_before_transition flag is not part of the file (NIR's own
// writer drops it too); readers get its default, True.
//
// Thread safety: HDF5 (Debian's serial build) is not thread-safe; do not
// call this concurrently with any other HDF5 use in the process. HDF5's
// automatic error printing is switched off during the call and restored.
// The file is written beside `path` and renamed over it at the end, so a
// failure leaves no partial file.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_NIRDATA_H
#define SNNC_RUNTIME_NIRDATA_H

#include "snnc/runtime/SpikeEvents.h"
#include "snnc/runtime/Status.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace snnc {

struct RecordedObservable {
  std::string name;           ///< e.g. "spikes" or "v"
  std::vector<int64_t> shape; ///< [samples, steps, ...neuron shape]
  std::vector<float> data;    ///< row-major, numElements(shape) values
  /// Non-empty: an EventData observable, one entry per sample (all of one
  /// shape and numSteps); `shape` and `data` are then ignored. Not owned:
  /// the events must outlive the writeNirData call.
  std::span<const SpikeEvents> events = {};
  /// For gridded data of chosen neurons only: their flat indices in the
  /// node (written as snnc_neurons); empty = every neuron.
  std::vector<int64_t> neurons = {};
};

struct RecordedNode {
  std::string name; ///< the NIR graph's node name
  std::vector<RecordedObservable> observables;
};

/// Writes `nodes` to `path` (replacing it). `dt` is the step length in
/// seconds (> 0). Node and observable names must be non-empty, unique
/// among their siblings and free of '/'; shapes need at least the samples
/// and steps dimensions (no neuron dimensions means one neuron).
Status writeNirData(const std::string &path, double dt,
                    const std::vector<RecordedNode> &nodes);

} // namespace snnc

#endif // SNNC_RUNTIME_NIRDATA_H
