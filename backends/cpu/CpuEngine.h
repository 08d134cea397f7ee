//===- CpuEngine.h - The CPU backend's event engine -------------*- C++ -*-===//
//
// Each step evaluates the populations in the artifact's order. A population
// first reads this step's input (the sum of the contributions delivered for
// this step, plus its bias) and updates its neurons; then its output goes
// through its outgoing projections: spiking kinds send only their spiking
// neurons' synapse rows, graded kinds their nonzero values. A projection
// with delay d delivers for step t + d (t + 1 + d when recurrent) into a
// per-population ring of input accumulators: right after its source's
// update when d is 0 (and not recurrent), else after all updates of the
// step. A sparse projection with per-synapse delays adds each synapse's own
// delay to d (its own kernel, Propagate.h). A PoissonSource draws its counts
// instead of updating (PoissonNeurons.h) and delivers them as graded values.
//
// Threads: a persistent team splits every population into contiguous
// slices; a thread updates its slices and is the only one that writes their
// accumulators, so results do not depend on the thread count (bit-identical
// in float mode too). A barrier after a population whose output is
// delivered within the step, and one after all updates, make outputs
// visible before they are delivered; run() takes many steps per hand-over
// (docs/runtime.md, "Threads").
//
// Thread safety: as Engine (one caller at a time); the Program may be
// released after instantiation, since the engine keeps its own copy.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_CPUENGINE_H
#define SNNC_BACKENDS_CPU_CPUENGINE_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Program.h"

#include <memory>

namespace snnc::cpu {

/// Populations in total below which DeviceOptions::threads = 0 runs on one
/// thread: below it the barriers cost more than the work they split. With
/// threads = 0 each thread gets at least this many neurons; an explicit
/// thread count is honoured as given.
constexpr uint64_t kNeuronsPerThread = 2048;

/// The number of threads an engine for `neurons` neurons will use.
unsigned chooseThreads(const DeviceOptions &options, uint64_t neurons);

/// A float or fixed engine for `program`, following its mode. Fails with
/// kInvalidArgument for a negative thread count.
StatusOr<std::unique_ptr<Engine>> makeCpuEngine(const Program &program,
                                                const DeviceOptions &options);

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_CPUENGINE_H
