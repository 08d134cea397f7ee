//===- Program.h - A verified, loaded .snnb artifact ------------*- C++ -*-===//
//
// Program::load reads a .snnb file, runs the FlatBuffers verifier and then
// snnc's own semantic checks (indices in range, array lengths consistent
// with population sizes, kernels matching their shapes, procedural rules
// valid and their estimated expansion within the memory budget), so that
// engines can trust every index. A Program is immutable and may be shared by
// any number of sessions and threads.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_PROGRAM_H
#define SNNC_RUNTIME_PROGRAM_H

#include "snnc/runtime/Procedural.h"
#include "snnc/runtime/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace snnc {
namespace snnb {
struct Program;
}

/// The schema version this runtime writes and reads (runtime/schema/
/// snnb.fbs), and the oldest it still reads: version 2 added ReceptorLIF
/// populations (receptors, refractory_steps) and Projection.receptor,
/// version 3 PoissonSource populations (Population.rate, seed) and
/// per-synapse delays (Sparse.delays) and Procedural connectivity, version 4
/// the mapping onto a target (Program.mapping), the seal (ArtifactSeal.h)
/// and required fields, version 5 a population's own reset rule
/// (Population.reset) and the delta form (Population.delta,
/// Discretization.delta_form). An older version means the same under the newer
/// one; one that uses a newer version's field is refused. Every file needs
/// the seal, whatever its version, so files that an snnc before version 4
/// wrote are refused: recompile them.
constexpr uint32_t kSnnbSchemaVersion = 5;
constexpr uint32_t kSnnbOldestSchemaVersion = 1;

struct PortInfo {
  std::string name;
  uint32_t population = 0;
  std::vector<int64_t> shape;
  int64_t size = 0;
};

/// How a Program is loaded.
struct LoadOptions {
  /// Bytes that the synapses of the program's Procedural projections may
  /// take when an engine expands them (docs/runtime.md, "Procedural
  /// projections"); 0 = 3/4 of the machine's physical memory. load()
  /// refuses a program whose estimated need exceeds it, and engines refuse,
  /// before allocating, a projection whose exact need exceeds what is left.
  uint64_t expansionBudgetBytes = 0;
};

/// The budget 0 stands for: 3/4 of physical memory (all of uint64 when the
/// system does not say).
uint64_t defaultExpansionBudget();

class Program {
public:
  /// Reads and verifies `path`.
  static StatusOr<std::shared_ptr<const Program>>
  load(const std::string &path, const LoadOptions &options = {});
  /// Verifies `bytes`; `origin` names them in messages.
  static StatusOr<std::shared_ptr<const Program>>
  fromBytes(std::vector<uint8_t> bytes, std::string origin = "<memory>",
            const LoadOptions &options = {});

  /// The FlatBuffers root (generated accessors, runtime/schema/snnb.fbs).
  const snnb::Program &fb() const { return *root_; }
  const std::string &origin() const { return origin_; }
  /// The verified artifact bytes, as loaded (to save or send it again).
  const std::vector<uint8_t> &bytes() const { return bytes_; }
  /// Seconds per step and the discretization profile it was compiled with.
  double dt() const;
  std::string profile() const;
  const std::vector<PortInfo> &inputs() const { return inputs_; }
  const std::vector<PortInfo> &outputs() const { return outputs_; }
  const PortInfo *findInput(std::string_view name) const;
  const PortInfo *findOutput(std::string_view name) const;
  /// Index of the population named `name` (NIR node path), or -1.
  int64_t findPopulation(std::string_view name) const;
  /// Names of all populations, in evaluation order.
  std::vector<std::string> populationNames() const;

  /// The generator's spec of projection `projection`, which must have
  /// Procedural connectivity: the rule, distributions and key as stored,
  /// nPre/nPost the source/target sizes, dt the program's. Already checked
  /// by procedural::validate at load.
  procedural::ConnectSpec connectSpec(uint32_t projection) const;
  /// The resolved budget for expanding Procedural projections, in bytes
  /// (LoadOptions::expansionBudgetBytes, or the default).
  uint64_t expansionBudgetBytes() const { return expansionBudget_; }
  /// The load-time estimate of the bytes the Procedural projections need
  /// (the sum of their synapse arrays plus the largest one again, held
  /// while it is converted); 0 without Procedural projections.
  uint64_t expansionEstimateBytes() const { return expansionEstimate_; }

private:
  Program() = default;
  std::vector<uint8_t> bytes_;
  const snnb::Program *root_ = nullptr;
  std::string origin_;
  std::vector<PortInfo> inputs_, outputs_;
  uint64_t expansionBudget_ = 0, expansionEstimate_ = 0;
};

} // namespace snnc

#endif // SNNC_RUNTIME_PROGRAM_H
