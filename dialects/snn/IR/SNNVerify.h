//===- SNNVerify.h - Shared pieces of the snn verifiers ---------*- C++ -*-===//
//
// Internal to the dialect library: what the op verifiers (SNNOps.cpp) and
// the container verifiers (SNNContainers.cpp) share.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_DIALECTS_SNN_IR_SNNVERIFY_H
#define SNNC_DIALECTS_SNN_IR_SNNVERIFY_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"

namespace snnc::snn::detail {

/// An op error that starts with "node '<node>': ".
mlir::InFlightDiagnostic nodeError(mlir::Operation *op, llvm::StringRef node);

} // namespace snnc::snn::detail

#endif // SNNC_DIALECTS_SNN_IR_SNNVERIFY_H
