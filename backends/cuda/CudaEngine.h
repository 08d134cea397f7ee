//===- CudaEngine.h - The CUDA backend's engine -----------------*- C++ -*-===//
//
// The CPU engine's semantics (backends/cpu/CpuEngine.h) on one GPU: the
// network is built with the shared model (backends/model) as one slice per
// population, copied to the device once, and each step is a short sequence
// of kernel launches on one stream (Kernels.cu):
//
//   update(populations up to the first with a projection that delivers
//          within the step) -> propagate(those projections) -> update(the
//          next populations) -> ... -> propagate(every other projection)
//
// which is the CPU engine's order, so delays, recurrent edges and ring
// buffers behave identically. A network whose projections all have delays
// (every recurrent one) takes two launches per step.
//
// run() with an observer runs up to a batch of steps on the device, keeping
// the spike lists of the populations recordSpikes() names and the watched
// neurons' state per step in device buffers, copies them back once, then
// tells the observer about each step in turn; without one, steps are only
// enqueued (stats(), readState() and the other readers wait for them).
//
// Fixed mode is bit-identical to the CPU engine. Float mode computes every
// neuron update in the CPU engine's order without fused multiply-adds, but
// adds synaptic input with atomics in no fixed order, so float sums (and
// through them spike times, rarely) may differ from the CPU's in the last
// bits (docs/cuda.md gives the tolerance the tests hold it to).
//
// Thread safety: as Engine.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CUDA_CUDAENGINE_H
#define SNNC_BACKENDS_CUDA_CUDAENGINE_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Program.h"

#include <memory>

namespace snnc::cuda {

/// ok when a CUDA device can be used, else kUnavailable with the CUDA
/// runtime's error text.
Status deviceAvailable();

/// A float or fixed engine for `program` on device 0. Fails with
/// kUnavailable when the network does not fit the device's free memory
/// (naming both sizes) or the device cannot be used.
StatusOr<std::unique_ptr<Engine>> makeCudaEngine(const Program &program,
                                                 const DeviceOptions &options);

} // namespace snnc::cuda

#endif // SNNC_BACKENDS_CUDA_CUDAENGINE_H
