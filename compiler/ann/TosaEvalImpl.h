//===- TosaEvalImpl.h - Shared pieces of the TOSA evaluator -----*- C++ -*-===//
//
// Internal to compiler/ann: the per-op evaluators of TosaEval.cpp,
// TosaEvalElementwise.cpp and TosaEvalLinear.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ANN_TOSAEVALIMPL_H
#define SNNC_COMPILER_ANN_TOSAEVALIMPL_H

#include "compiler/ann/TosaEval.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <string>

namespace snnc::ann::detail {

using Env = llvm::DenseMap<mlir::Value, Array>;

int64_t numElements(llvm::ArrayRef<int64_t> shape);
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// The static shape of `type`, or an error at `op` when it is not a ranked
/// tensor of static shape.
mlir::FailureOr<llvm::SmallVector<int64_t>>
staticShape(mlir::Operation *op, mlir::Type type, llvm::StringRef what);

/// The value of operand `v` of `op`, after checking that its element type is
/// f32 and its shape is the one its type declares.
mlir::FailureOr<const Array *> getF32(mlir::Operation *op, mlir::Value v,
                                      const Env &env);
/// As getF32, for an operand of any element type the evaluator holds
/// (integers and i1 are kept as exact float values).
mlir::FailureOr<const Array *> getAny(mlir::Operation *op, mlir::Value v,
                                      const Env &env);

/// Error at `op` unless `v`'s element type is f32 (or, with `allowI1`, i1).
mlir::LogicalResult requireElement(mlir::Operation *op, mlir::Value v,
                                   llvm::StringRef what, bool allowI1 = false);

/// Elementwise ops (add … rsqrt, clamp, select, greater).
mlir::FailureOr<Array> evalElementwise(mlir::Operation *op, const Env &env);

mlir::FailureOr<Array> evalConv2D(mlir::tosa::Conv2DOp op, const Env &env);
mlir::FailureOr<Array> evalFullyConnected(mlir::tosa::FullyConnectedOp op,
                                          const Env &env);
mlir::FailureOr<Array> evalMatMul(mlir::tosa::MatMulOp op, const Env &env);
mlir::FailureOr<Array> evalAvgPool2d(mlir::tosa::AvgPool2dOp op,
                                     const Env &env);
mlir::FailureOr<Array> evalMaxPool2d(mlir::tosa::MaxPool2dOp op,
                                     const Env &env);

} // namespace snnc::ann::detail

#endif // SNNC_COMPILER_ANN_TOSAEVALIMPL_H
