//===- Npy.h - NumPy .npy files in and out ----------------------*- C++ -*-===//
//
// readNpy loads a NumPy .npy file (format versions 1.0, 2.0 and 3.0) into a
// float32 Tensor; writeNpy stores a Tensor as '<f4' or a SpikeTensor as
// '|u1' in a version 1.0 file, byte-compatible with numpy.load.
//
// Accepted dtypes, little-endian ('<') or byte-order-free ('|'):
//   f2 (half), f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1 (bool -> 0/1).
// Every value is converted to float32: f8, i4/u4 beyond 2^24 and i8/u8
// values lose precision beyond what float32 holds (about 7 significant
// digits; integers above 2^24 are rounded). Only C (row-major) order is
// read; fortran_order True, big-endian and structured or string dtypes are
// refused with a Status naming the file and the reason. Arrays of more than
// 2^31 elements are refused. A 0-d array (shape ()) becomes shape {}.
//
// Thread safety: the functions share no state; concurrent calls on distinct
// paths are safe. Writers go through a temporary file beside the target and
// rename it, so a failed write leaves no partial file under `path`.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_NPY_H
#define SNNC_RUNTIME_NPY_H

#include "snnc/runtime/Status.h"
#include "snnc/runtime/Tensor.h"

#include <map>
#include <string>

namespace snnc {

/// Reads `path`. kNotFound when the file does not exist; kDataLoss when it
/// is truncated; kInvalidArgument for anything else malformed or unsupported.
StatusOr<Tensor> readNpy(const std::string &path);

/// Reads every member of a NumPy .npz archive (stored or deflated), keyed
/// by name without ".npy", each converted as readNpy does.
StatusOr<std::map<std::string, Tensor>> readNpz(const std::string &path);

/// Writes `t` as a '<f4' array of shape t.shape. kInvalidArgument when
/// t.data does not hold numElements(t.shape) values.
Status writeNpy(const std::string &path, const Tensor &t);

/// Writes `t` as a '|u1' array (values stored as they are, not clamped).
Status writeNpy(const std::string &path, const SpikeTensor &t);

} // namespace snnc

#endif // SNNC_RUNTIME_NPY_H
