//===- NmcConvert.h - NetworkPlan <-> nmc.program ---------------*- C++ -*-===//
//
// The snn-to-nmc lowering emits an nmc.program from the populations and
// projections it computes; the artifact writer reads an nmc.program back
// into them (its in-memory serialization form). Both directions keep every
// value bit for bit, so a program printed by `snnc --emit=nmc` and read
// back compiles to the same artifact.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_NMCCONVERT_H
#define SNNC_COMPILER_LOWER_NMCCONVERT_H

#include "compiler/lower/NetworkPlan.h"

#include "mlir/IR/Builders.h"

#include <string>

namespace snnc {
namespace nmc {
class MappingOp;
class ProgramOp;
} // namespace nmc

/// Builds an nmc.program at `builder`'s insertion point; the plan's large
/// arrays move into resource blobs (no copy), so `plan` is left empty.
nmc::ProgramOp planToNmc(mlir::OpBuilder &builder, mlir::Location loc,
                         NetworkPlan &&plan);

/// Puts what nmc-quantize chose (plan.populations[i].fixed,
/// plan.projections[k].fixed, plan.quantization), for a plan read from
/// `program` by nmcToPlan, onto the program's ops as `nmc.fixed`,
/// `nmc.fixed_weights` and `nmc.quantization`; a pool that quantization
/// turned into sparse rows is rewritten as such. Large arrays move into
/// resource blobs.
void writeQuantized(nmc::ProgramOp program, NetworkPlan &&plan);

/// Reads an nmc.mapping of any stage (what nmcToPlan puts into
/// NetworkPlan::mapping; the mapping passes read it too). Errors are
/// emitted at the offending op.
mlir::LogicalResult readMappingOp(nmc::MappingOp mapping, PlanMapping &out);

/// Reads a program back; errors are emitted at the offending op.
mlir::LogicalResult nmcToPlan(nmc::ProgramOp program, NetworkPlan &plan);

/// A resource-blob key the IR parser reads back: a node name's letters,
/// digits, '_' and '.', the rest as '_' ("/1/Relu.bias" -> "_1_Relu.bias");
/// the blob manager makes colliding keys unique.
std::string resourceKey(llvm::StringRef name);

/// The module's nmc.program (the first), or null.
nmc::ProgramOp findProgram(mlir::ModuleOp module);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_NMCCONVERT_H
