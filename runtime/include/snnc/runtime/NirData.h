//===- NirData.h - Recordings in NIR's NIRGraphData HDF5 layout -*- C++ -*-===//
//
// writeNirData stores recorded observables (spikes, membrane potentials...)
// so that NIR's Python reader, nir.read_data(path), returns a NIRGraphData
// with one NIRNodeData per node and one TimeGriddedData per observable.
//
// Layout written (strings are variable-length UTF-8 scalar attributes, the
// form h5py gives Python str; NIR compares them with ==, which fails for
// fixed-length strings, read back as bytes):
//   /                        attr __type__ = "NIRGraphData"
//   /nodes/<node>            attr __type__ = "NIRNodeData"
//   /nodes/<node>/observables/<observable>
//                            attr __type__ = "TimeGriddedData"
//                            attr dt       = float64 scalar, seconds
//                            attr snnc_shape = int64[] (our full shape)
//     data                   (samples, steps, neurons), gzip level 4 when
//                            the HDF5 build has deflate, as NIR writes it
// The neuron dimensions are flattened row-major into one, since NIR's
// TimeGriddedData requires 3-D data; snnc_shape keeps the original shape
// (NIR's reader ignores attributes it does not know).
//
// Data types: an observable named "spikes" must hold only 0 and 1 and is
// stored as h5py's boolean (an int8 enum FALSE=0/TRUE=1), because NIR's
// TimeGriddedData.to_event refuses anything but bool. Every other
// observable is stored as little-endian float32.
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

#include "snnc/runtime/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

struct RecordedObservable {
  std::string name;           ///< e.g. "spikes" or "v"
  std::vector<int64_t> shape; ///< [samples, steps, ...neuron shape]
  std::vector<float> data;    ///< row-major, numElements(shape) values
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
