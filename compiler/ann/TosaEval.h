//===- TosaEval.h - A reference evaluator for imported ANNs -----*- C++ -*-===//
//
// Runs the TOSA function the ONNX importer produces on float inputs: to
// check the import against reference outputs, and to collect the
// activations that data-based normalization calibrates on. Straightforward
// loops in float32 with double accumulation in convolutions and matrix
// products; not fast, not meant to be.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ANN_TOSAEVAL_H
#define SNNC_COMPILER_ANN_TOSAEVAL_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <vector>

namespace snnc::ann {

struct Array {
  std::vector<int64_t> shape;
  std::vector<float> data; ///< row-major
};

/// Evaluates `func` on `inputs` (one per argument, shapes equal to the
/// argument types). Fills `outputs` (one per result) and, when `trace` is
/// set, the value of every op result. Emits an error at the op and fails
/// for an op or attribute it does not implement.
mlir::LogicalResult
evaluate(mlir::func::FuncOp func, const std::vector<Array> &inputs,
         std::vector<Array> &outputs,
         llvm::DenseMap<mlir::Value, Array> *trace = nullptr);

} // namespace snnc::ann

#endif // SNNC_COMPILER_ANN_TOSAEVAL_H
