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

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snnc::cuda {

/// ok when a CUDA device can be used, else kUnavailable with the CUDA
/// runtime's error text.
Status deviceAvailable();

/// How the propagate kernel spreads a projection's events over warps,
/// chosen per projection on the host (docs/cuda.md gives the rule).
enum class Propagation {
  PerTarget,    ///< dense: 32 targets per warp, each lane sums every event
  WarpPerRow,   ///< sparse rows of mean length >= kThreadRowMean
  ThreadPerRow, ///< short sparse rows: 32 events per warp, a lane per row
  Window,       ///< conv and pool: one event's window per warp
  /// Procedural kept on the device: AllToAll rows split among a warp's
  /// lanes (long rows), or a lane per row (OneToOne, FixedProbability,
  /// FixedOutDegree, whose targets follow one another, and short AllToAll
  /// rows).
  ProceduralWarp,
  ProceduralThread,
};
const char *propagationName(Propagation p);

/// A sparse projection goes thread per row when its rows are short on
/// average (fewer than kThreadRowMean synapses, so that warp per row would
/// leave most lanes idle) and none is long (at most kThreadRowLongest, so
/// that one lane's row does not hold up its warp); else warp per row.
inline constexpr double kThreadRowMean = 8.0;
inline constexpr uint64_t kThreadRowLongest = 64;

struct RowStats {
  uint64_t rows = 0, synapses = 0, longest = 0;
};
/// The rule above.
Propagation sparsePropagation(const RowStats &rows);

/// Where Procedural projections whose rows can be regenerated one at a
/// time (model::regenerable: AllToAll, OneToOne, FixedProbability, and
/// FixedOutDegree up to 64 targets per source, with bounded delays) live: Auto
/// keeps one on the device when its expanded synapses would take more than
/// `proceduralBytes` (0: the smaller of the program's expansion budget and half
/// the device's free memory), Device keeps every one there, Host expands every
/// one. Other rules are always expanded on the host. The environment variable
/// SNNC_CUDA_PROCEDURAL (auto, device, host) overrides the default of
/// makeCudaEngine(program, options).
enum class ProceduralPlacement { Auto, Device, Host };

struct CudaOptions {
  ProceduralPlacement procedural = ProceduralPlacement::Auto;
  uint64_t proceduralBytes = 0;
  /// Waits for each kernel launch, so that an error in a kernel names it
  /// and its step (slow; for finding a failure). Also set by the
  /// environment variable SNNC_CUDA_SYNC=1.
  bool syncEachLaunch = false;
};

/// What the engine decides for one projection.
struct ProjectionPlan {
  Propagation propagation = Propagation::WarpPerRow;
  bool procedural = false; ///< regenerated on the device, not expanded
  RowStats rows;           ///< sparse and procedural (expected synapses)
};

/// The engine's decisions for `program` without a device: how each
/// projection propagates, which Procedural ones stay on the device (Auto
/// with `freeDeviceBytes` of free memory), and the device bytes the engine
/// would allocate before recording buffers.
struct CudaPlan {
  std::vector<ProjectionPlan> projections;
  uint64_t deviceBytes = 0;
};
StatusOr<CudaPlan> planCuda(const Program &program, const CudaOptions &cuda,
                            uint64_t freeDeviceBytes);

/// The decisions a cuda engine made, one per projection (empty for an
/// engine of another backend).
std::vector<ProjectionPlan> projectionPlans(const Engine &engine);

/// One line naming how many projections take each strategy and how many
/// Procedural ones are regenerated on the device, e.g. "per-target 2,
/// procedural-thread 3 (3 rules on the device)".
std::string describePlans(const std::vector<ProjectionPlan> &plans);

/// CudaOptions from the environment (SNNC_CUDA_PROCEDURAL, SNNC_CUDA_SYNC),
/// as makeCudaEngine(program, options) reads them; invalid-argument for an
/// unknown placement.
StatusOr<CudaOptions> cudaOptionsFromEnvironment();

/// A float or fixed engine for `program` on device 0. Fails with
/// kUnavailable when the network does not fit the device's free memory
/// (naming both sizes) or the device cannot be used.
StatusOr<std::unique_ptr<Engine>> makeCudaEngine(const Program &program,
                                                 const DeviceOptions &options);
StatusOr<std::unique_ptr<Engine>> makeCudaEngine(const Program &program,
                                                 const DeviceOptions &options,
                                                 const CudaOptions &cuda);

} // namespace snnc::cuda

#endif // SNNC_BACKENDS_CUDA_CUDAENGINE_H
