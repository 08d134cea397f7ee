//===- SNNVerify.h - Shared pieces of the snn verifiers ---------*- C++ -*-===//
//
// Internal to the dialect library: what the op verifiers (SNNOps.cpp) and
// the container verifiers (SNNContainers.cpp) share.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_DIALECTS_SNN_IR_SNNVERIFY_H
#define SNNC_DIALECTS_SNN_IR_SNNVERIFY_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"

#include <string>

namespace snnc::snn::detail {

/// An op error that starts with "node '<node>': ".
mlir::InFlightDiagnostic nodeError(mlir::Operation *op, llvm::StringRef node);

std::string shapeString(llvm::ArrayRef<int64_t> shape);
mlir::LogicalResult verifyName(mlir::Operation *op, llvm::StringRef node);
mlir::LogicalResult verifyStatic(mlir::Operation *op, llvm::StringRef node,
                                 mlir::Type t, llvm::StringRef what);
/// All inputs share one type; `inType` is it, or null without inputs.
mlir::LogicalResult verifyInputs(mlir::Operation *op, llvm::StringRef node,
                                 mlir::ValueRange inputs,
                                 mlir::RankedTensorType &inType);
/// `attr` has `shape` and only finite values.
mlir::LogicalResult verifyParam(mlir::Operation *op, llvm::StringRef node,
                                llvm::StringRef param,
                                mlir::DenseFPElementsAttr attr,
                                llvm::ArrayRef<int64_t> shape);
mlir::LogicalResult verifyNonzero(mlir::Operation *op, llvm::StringRef node,
                                  llvm::StringRef param,
                                  mlir::DenseFPElementsAttr attr);
/// Output shape = input shape = every parameter's shape.
mlir::LogicalResult verifyElementwise(
    mlir::Operation *op, llvm::StringRef node, mlir::ValueRange inputs,
    mlir::Type outType,
    llvm::ArrayRef<std::pair<llvm::StringRef, mlir::DenseFPElementsAttr>>
        params);
/// A distribution dictionary of snn.connect ({dist = "normal", ...});
/// `nonNegative` refuses any that can draw a negative value (delays).
mlir::LogicalResult verifyDistribution(mlir::Operation *op,
                                       llvm::StringRef node,
                                       llvm::StringRef param,
                                       mlir::DictionaryAttr d,
                                       bool nonNegative);
mlir::LogicalResult verifyShaped(mlir::Operation *op, llvm::StringRef node,
                                 mlir::ValueRange inputs, mlir::Type outType,
                                 mlir::RankedTensorType &inType);

} // namespace snnc::snn::detail

#endif // SNNC_DIALECTS_SNN_IR_SNNVERIFY_H
