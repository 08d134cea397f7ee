//===- Tensor.h - Dense arrays crossing the runtime API ---------*- C++ -*-===//
//
// Plain owning row-major arrays, as read from and written to .npy files and
// passed to and from sessions. Value types: copy freely, not thread-shared.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_TENSOR_H
#define SNNC_RUNTIME_TENSOR_H

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

/// Product of the dimensions (1 for a scalar shape).
int64_t numElements(const std::vector<int64_t> &shape);
/// "[2, 34, 34]".
std::string shapeString(const std::vector<int64_t> &shape);

template <typename T> struct BasicTensor {
  std::vector<int64_t> shape;
  std::vector<T> data; ///< row-major, numElements(shape) values

  BasicTensor() = default;
  BasicTensor(std::vector<int64_t> s, std::vector<T> d)
      : shape(std::move(s)), data(std::move(d)) {}
  explicit BasicTensor(std::vector<int64_t> s)
      : shape(std::move(s)), data(numElements(shape)) {}
  int64_t size() const { return int64_t(data.size()); }
};

using Tensor = BasicTensor<float>;        ///< values, currents, membranes
using SpikeTensor = BasicTensor<uint8_t>; ///< 0/1 spikes

} // namespace snnc

#endif // SNNC_RUNTIME_TENSOR_H
