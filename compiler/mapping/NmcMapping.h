//===- NmcMapping.h - The mapping passes' common steps ----------*- C++ -*-===//
//
// What nmc-partition, nmc-place, nmc-route and nmc-check share: the graph
// of an nmc.program with explicit synapses, the nmc.mapping op read into a
// Mapping and written back, violations as diagnostics, and the report.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_MAPPING_NMCMAPPING_H
#define SNNC_COMPILER_MAPPING_NMCMAPPING_H

#include "mapping/Mapping.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace snnc {
struct NetworkPlan;
namespace nmc {
class ProgramOp;
}
} // namespace snnc

namespace snnc::mapping {

/// The graph of a plan: every projection as explicit synapses (dense
/// nonzero weights, sparse lists, convolution and pooling windows, rules
/// expanded by the runtime's generator, as the engines expand them).
/// Errors are emitted at `program`'s projection.
mlir::LogicalResult buildGraph(nmc::ProgramOp program, MapGraph &graph,
                               unsigned threads = 0);

/// Mapping stages, in order.
enum class Stage { Partitioned, Placed, Routed };
const char *stageName(Stage s);

/// Reads the program's nmc.mapping; fails (with an error naming the pass
/// that makes it) when there is none or it has not reached `needed`.
mlir::LogicalResult readMapping(nmc::ProgramOp program, const MapGraph &graph,
                                Stage needed, const char *pass,
                                target::Target &target, Mapping &mapping);
/// What nmc-place, nmc-route and nmc-check start from: the module's
/// program, its graph, and its mapping at `needed` or later. Errors (no
/// program, no mapping, an earlier stage) are emitted naming `pass`.
mlir::LogicalResult loadMapped(mlir::ModuleOp module, const char *pass,
                               Stage needed, nmc::ProgramOp &program,
                               MapGraph &graph, target::Target &target,
                               Mapping &mapping);

/// Replaces the program's nmc.mapping with `mapping` at `stage`.
void writeMapping(nmc::ProgramOp program, const target::Target &target,
                  const Mapping &mapping, Stage stage);

/// Emits every violation as an error at the op it names (population or
/// projection) or else at the mapping; failure when there is any.
mlir::LogicalResult emitViolations(nmc::ProgramOp program,
                                   const std::vector<Violation> &violations);

/// Wall-clock seconds of each step of mapProgram.
struct StageSeconds {
  double graph = 0; ///< reading the program, expanding connection rules
  double partition = 0, place = 0, route = 0, check = 0;
};

/// Partition, place, route and check in one go (what snnc --target does):
/// the graph is built once. Writes the nmc.mapping; the violations are
/// returned (and not emitted).
mlir::LogicalResult
mapProgram(nmc::ProgramOp program, const target::Target &target,
           std::vector<Violation> &violations, MapGraph *graphOut = nullptr,
           Mapping *mappingOut = nullptr, StageSeconds *seconds = nullptr);

/// Per-core utilization, routing entries per router, the estimates per
/// step; as text or as one JSON object.
void printReport(const MapGraph &graph, const target::Target &target,
                 const Mapping &mapping,
                 const std::vector<Violation> &violations, double dt, bool json,
                 llvm::raw_ostream &os, const StageSeconds *seconds = nullptr);

} // namespace snnc::mapping

#endif // SNNC_COMPILER_MAPPING_NMCMAPPING_H
