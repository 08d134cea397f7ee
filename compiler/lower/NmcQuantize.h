//===- NmcQuantize.h - Quantizing an nmc.program ----------------*- C++ -*-===//
//
// What the nmc-quantize pass does, callable without a pass manager (snnc's
// pipeline runs it for --mode fixed).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_NMCQUANTIZE_H
#define SNNC_COMPILER_LOWER_NMCQUANTIZE_H

#include "compiler/lower/Quantize.h"

#include "mlir/Support/LogicalResult.h"

namespace snnc {
namespace nmc {
class ProgramOp;
}
namespace target {
struct Target;
}

/// The formats of a target description (its name, weight, state and decay
/// bits; Source values keep 12 fraction bits).
QuantizeOptions quantizeOptionsFor(const target::Target &target);

/// Quantizes `program` in place (nmc.fixed, nmc.fixed_weights,
/// nmc.quantization; docs/fixed-point.md). Errors are emitted at the
/// program, naming the population or projection.
mlir::LogicalResult quantizeNmcProgram(nmc::ProgramOp program,
                                       const QuantizeOptions &options);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_NMCQUANTIZE_H
