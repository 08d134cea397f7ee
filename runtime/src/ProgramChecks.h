//===- ProgramChecks.h - Semantic checks of schema version 3 ----*- C++ -*-===//
//
// The checks of ReceptorLIF and PoissonSource populations, per-synapse
// delays and Procedural connectivity, apart
// from Program.cpp's Checker so that each file holds one part of the
// format. Like the Checker, they run after the FlatBuffers verifier and
// after the checks these fields depend on (dt, population sizes, sparse
// rows), so every index and length they read is already known good.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SRC_PROGRAMCHECKS_H
#define SNNC_RUNTIME_SRC_PROGRAMCHECKS_H

#include "snnc/runtime/Procedural.h"
#include "snnc/runtime/Status.h"
#include "snnc/schema/snnb_generated.h"

#include <cstdint>
#include <string>

namespace snnc::check {

/// The refusal of a file that no snnc writes: `origin: what (...)`.
Status corrupt(const std::string &origin, const std::string &what);

/// Largest delay in steps from a source's step to the step that receives
/// the event, per synapse: delay_steps plus Sparse.delays. It keeps every
/// delay in the 16 bits of the schema's fields and of the hardware
/// targets' delay slots; the ring of input accumulators an engine holds
/// for the target is (largest delay + 1) x target size.
inline constexpr uint32_t kMaxDelaySteps = 65535;

/// Upper bound on the thresholds of all PoissonSource tables of one
/// program (4 bytes each: 64 MiB), reached only by per-neuron rates with
/// millions of distinct, large values.
inline constexpr uint64_t kMaxPoissonTableEntries = uint64_t(1) << 24;

/// ReceptorLIF's fields (schema version 2, float mode, same-step reset):
/// 1 to 8 named receptors with decay and gain (and a reversal potential
/// exactly when conductance-based), per neuron or shared, and none of the
/// fields it does not read; on every other kind, no receptors and no
/// refractory_steps.
Status receptors(const snnb::Program &p, const snnb::Population &pop,
                 const std::string &where, const std::string &origin);

/// Schema version 5's per-population rules (RuleChecks.cpp):
/// Population.reset only on LIF, CubaLIF and IF, with a known value;
/// Population.delta exactly on the LIF, LI, CubaLIF and CubaLI populations
/// of a float program whose Discretization.delta_form is set (a fixed one
/// may set delta_form: its integer update ignores it, so it needs no
/// arrays), each array 1 or size finite values, and delta_form never with
/// the rules whose kernels have no delta form (lava-dl's integer states,
/// multi-spike, I = alpha * (I + x), the IF clamp).
Status populationRules(const snnb::Program &p, const snnb::Population &pop,
                       const std::string &where, const std::string &origin);

/// Population.rate and seed: absent before schema version 3 and on every
/// kind but PoissonSource; a PoissonSource has 1 or size rates, each finite,
/// >= 0 and with rate * dt <= kPoissonMaxLambda, and takes no parameter it
/// would not read. Adds the sizes of its tables to `tableEntries`.
Status poissonSource(const snnb::Program &p, const snnb::Population &pop,
                     const std::string &where, const std::string &origin,
                     uint64_t &tableEntries);

/// Sparse.delays: absent before version 3; otherwise one per target, and
/// delay_steps of each row's source plus each of its synapses' delays at
/// most kMaxDelaySteps.
Status sparseDelays(const snnb::Program &p, const snnb::Projection &pr,
                    const snnb::Sparse &sp, const std::string &where,
                    const std::string &origin);

/// The generator's spec of a Procedural projection: its fields, the
/// source/target sizes and the program's dt. Reads only fields the
/// FlatBuffers verifier has checked; enum values outside the schema map to
/// the first rule or kind (proceduralProjection refuses them first).
procedural::ConnectSpec connectSpec(const snnb::Program &p,
                                    const snnb::Projection &pr);

/// Procedural connectivity (schema version 3): known rule and distribution
/// kinds, a weight distribution present, same_population only when source
/// and target are one population, float mode only, procedural::validate
/// (its message prefixed with `where`), and delay_steps of every source
/// plus the largest delay the distribution can give at most
/// kMaxDelaySteps. On success adds the bytes of its synapse arrays
/// (procedural::bytesFor of the exact count, or of the expected count
/// p x nPre x (nPost - excluded) for fixed probability) to `bytes` and
/// raises `largest` to them.
Status proceduralProjection(const snnb::Program &p, const snnb::Projection &pr,
                            const std::string &where, const std::string &origin,
                            uint64_t &bytes, uint64_t &largest);

} // namespace snnc::check

#endif // SNNC_RUNTIME_SRC_PROGRAMCHECKS_H
