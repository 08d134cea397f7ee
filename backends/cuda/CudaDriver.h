//===- CudaDriver.h - The "cuda" device driver ------------------*- C++ -*-===//
//
// Available when the CUDA runtime finds a device; otherwise available()
// says why (on a machine without a GPU or driver: the CUDA error text).
// DeviceOptions::threads only sets how many host threads expand Procedural
// projections at load; the kernels do not use it.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CUDA_CUDADRIVER_H
#define SNNC_BACKENDS_CUDA_CUDADRIVER_H

#include "snnc/runtime/Engine.h"

#include <memory>

namespace snnc {

std::unique_ptr<Driver> makeCudaDriver();

} // namespace snnc

#endif // SNNC_BACKENDS_CUDA_CUDADRIVER_H
