//===- Program.h - A verified, loaded .snnb artifact ------------*- C++ -*-===//
//
// Program::load reads a .snnb file, runs the FlatBuffers verifier and then
// snnc's own semantic checks (indices in range, array lengths consistent
// with population sizes, kernels matching their shapes), so that engines
// can trust every index. A Program is immutable and may be shared by any
// number of sessions and threads.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_PROGRAM_H
#define SNNC_RUNTIME_PROGRAM_H

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
/// per-synapse delays (Sparse.delays). An older file means the same under
/// the newer version; one that uses a newer version's field is refused.
constexpr uint32_t kSnnbSchemaVersion = 3;
constexpr uint32_t kSnnbOldestSchemaVersion = 1;

struct PortInfo {
  std::string name;
  uint32_t population = 0;
  std::vector<int64_t> shape;
  int64_t size = 0;
};

class Program {
public:
  /// Reads and verifies `path`.
  static StatusOr<std::shared_ptr<const Program>> load(const std::string &path);
  /// Verifies `bytes`; `origin` names them in messages.
  static StatusOr<std::shared_ptr<const Program>>
  fromBytes(std::vector<uint8_t> bytes, std::string origin = "<memory>");

  /// The FlatBuffers root (generated accessors, runtime/schema/snnb.fbs).
  const snnb::Program &fb() const { return *root_; }
  const std::string &origin() const { return origin_; }
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

private:
  Program() = default;
  std::vector<uint8_t> bytes_;
  const snnb::Program *root_ = nullptr;
  std::string origin_;
  std::vector<PortInfo> inputs_, outputs_;
};

} // namespace snnc

#endif // SNNC_RUNTIME_PROGRAM_H
